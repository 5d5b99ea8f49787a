package io.autonomic.act.playbook;

import java.util.List;

/**
 * Every action name an executor of Autonomic provides. A playbook naming anything else is an error with
 * {@code --strict-playbooks} and a warning otherwise (an executor may be plugged in later).
 */
public final class KnownActions {

    public static final List<String> ALL = List.of(
            "aws.ecs.force-new-deployment", "aws.ecs.stop-task", "aws.ssm.start-automation", "aws.ssm.run-cleanup",
            "aws.autoscaling.set-desired-capacity", "aws.autoscaling.set-instance-unhealthy", "aws.ec2.reboot",
            "aws.ec2.revoke-open-ingress", "aws.lambda.rollback-alias", "aws.route53.shift-weight",
            "aws.wafv2.block-cidr", "aws.wafv2.set-rate-limit", "k8s.delete-pod", "k8s.rollout-restart", "k8s.scale",
            "k8s.cordon", "k8s.drain",
            "process.restart", "process.remove-files", "notify.slack", "notify.pagerduty", "ticket.jira",
            "ticket.servicenow", "notify.webhook");

    private KnownActions() {
    }
}
