package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * ECS actions.
 *
 * <ul>
 *   <li>{@value #FORCE_NEW_DEPLOYMENT}: UpdateService with forceNewDeployment, replacing every task of the
 *       service with fresh ones on the same task definition. The service comes from the target id
 *       {@code ecs-service:<arn>} or from parameters {@code cluster} and {@code service}.</li>
 *   <li>{@value #STOP_TASK}: StopTask for the target {@code ecs-task:<arn>} (its cluster is read from the ARN);
 *       the service scheduler starts a replacement. A task that is already gone is the desired state: success.</li>
 * </ul>
 */
public final class EcsExecutor extends AbstractAwsExecutor {

    public static final String FORCE_NEW_DEPLOYMENT = "aws.ecs.force-new-deployment";
    public static final String STOP_TASK = "aws.ecs.stop-task";

    public EcsExecutor(AwsClients clients) {
        super(clients);
    }

    @Override
    public Set<String> actions() {
        return Set.of(FORCE_NEW_DEPLOYMENT, STOP_TASK);
    }

    @Override
    ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException {
        return FORCE_NEW_DEPLOYMENT.equals(request.action()) ? forceNewDeployment(request) : stopTask(request);
    }

    private ActionResult forceNewDeployment(ActionRequest request) throws AwsIds.InvalidIdException {
        String cluster = AwsIds.optional(request, "cluster", AwsIds.ECS_NAME, "ECS cluster name");
        String service = AwsIds.optional(request, "service", AwsIds.ECS_NAME, "ECS service name");
        if (cluster == null || service == null) {
            String id = request.target().getId();
            String arn = id.startsWith("ecs-service:") ? id.substring("ecs-service:".length()) : id;
            Matcher matcher = AwsIds.match(arn, AwsIds.ECS_SERVICE_ARN, "ECS service ARN",
                    "target '" + AwsIds.abbreviate(id) + "' (or parameters 'cluster' and 'service')");
            cluster = matcher.group(1);
            service = matcher.group(2);
        }
        String clusterName = cluster;
        String serviceName = service;
        UpdateServiceResponse response = clients.ecs().updateService(b -> b.cluster(clusterName).service(serviceName)
                .forceNewDeployment(true));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cluster", clusterName);
        facts.put("service", serviceName);
        if (response.service() != null && response.service().hasDeployments()
                && !response.service().deployments().isEmpty()) {
            facts.put("deploymentId", response.service().deployments().get(0).id());
        }
        return ActionResult.success("new deployment forced for ECS service " + clusterName + "/" + serviceName, facts);
    }

    private ActionResult stopTask(ActionRequest request) throws AwsIds.InvalidIdException {
        String id = request.target().getId();
        String arn = request.parameter("task-arn") != null ? request.parameter("task-arn")
                : id.startsWith("ecs-task:") ? id.substring("ecs-task:".length()) : id;
        Matcher matcher = AwsIds.match(arn, AwsIds.ECS_TASK_ARN, "ECS task ARN (arn:aws:ecs:<region>:<account>:task/<cluster>/<id>)",
                "task of '" + AwsIds.abbreviate(id) + "'");
        String cluster = matcher.group(1);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("cluster", cluster);
        facts.put("taskArn", arn);
        String reason = "Autonomic: unhealthy task, command " + request.idempotencyKey();
        try {
            clients.ecs().stopTask(b -> b.cluster(cluster).task(arn)
                    .reason(reason.length() <= 255 ? reason : reason.substring(0, 255)));
        } catch (AwsServiceException e) {
            // ECS answers a stopped-and-reaped task with InvalidParameterException "The referenced task was not found"
            if ("InvalidParameterException".equals(AwsOutcomes.errorCode(e))
                    && AwsOutcomes.errorMessage(e).toLowerCase().contains("not found")) {
                facts.put("alreadyStopped", "true");
                return ActionResult.success("ECS task " + arn + " is already gone", facts);
            }
            throw e;
        }
        return ActionResult.success("stopped ECS task " + arn, facts);
    }
}
