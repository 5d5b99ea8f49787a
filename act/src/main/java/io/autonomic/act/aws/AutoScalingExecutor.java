package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * EC2 Auto Scaling actions, both idempotent by nature (they set a value rather than change it by a delta).
 *
 * <ul>
 *   <li>{@value #SET_DESIRED_CAPACITY}: SetDesiredCapacity of parameter {@code group} to parameter
 *       {@code desired-capacity} (0..10000), honouring the group's cooldown unless {@code honor-cooldown=false}.</li>
 *   <li>{@value #SET_INSTANCE_UNHEALTHY}: SetInstanceHealth Unhealthy for the target instance, so its group
 *       replaces it; grace period respected unless {@code respect-grace-period=false}.</li>
 * </ul>
 */
public final class AutoScalingExecutor extends AbstractAwsExecutor {

    public static final String SET_DESIRED_CAPACITY = "aws.autoscaling.set-desired-capacity";
    public static final String SET_INSTANCE_UNHEALTHY = "aws.autoscaling.set-instance-unhealthy";

    public AutoScalingExecutor(AwsClients clients) {
        super(clients);
    }

    @Override
    public Set<String> actions() {
        return Set.of(SET_DESIRED_CAPACITY, SET_INSTANCE_UNHEALTHY);
    }

    @Override
    ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException {
        Map<String, String> facts = new LinkedHashMap<>();
        if (SET_DESIRED_CAPACITY.equals(request.action())) {
            String group = AwsIds.require(request, "group", AwsIds.ASG_NAME, "Auto Scaling group name");
            int desired = AwsIds.integer(request, "desired-capacity", 0, 10_000);
            boolean honorCooldown = !"false".equalsIgnoreCase(request.parameter("honor-cooldown"));
            clients.autoScaling().setDesiredCapacity(b -> b.autoScalingGroupName(group).desiredCapacity(desired)
                    .honorCooldown(honorCooldown));
            facts.put("group", group);
            facts.put("desiredCapacity", Integer.toString(desired));
            return ActionResult.success("desired capacity of " + group + " set to " + desired, facts);
        }
        String instanceId = AwsIds.instanceId(request);
        boolean respectGrace = !"false".equalsIgnoreCase(request.parameter("respect-grace-period"));
        clients.autoScaling().setInstanceHealth(b -> b.instanceId(instanceId).healthStatus("Unhealthy")
                .shouldRespectGracePeriod(respectGrace));
        facts.put("instanceId", instanceId);
        return ActionResult.success("instance " + instanceId + " marked Unhealthy for replacement", facts);
    }
}
