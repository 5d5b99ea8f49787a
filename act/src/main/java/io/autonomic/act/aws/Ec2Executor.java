package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.RevokeSecurityGroupIngressResponse;

/**
 * EC2 actions.
 *
 * <ul>
 *   <li>{@value #REBOOT}: RebootInstances for the target instance ({@code ec2-instance:<arn>}, or parameter
 *       {@code instance-id}). EC2 takes no idempotency token here; the worker's ledger keeps it to one call.</li>
 *   <li>{@value #REVOKE_OPEN_INGRESS}: RevokeSecurityGroupIngress of exactly the world-open rule
 *       ({@code 0.0.0.0/0}, or {@code ::/0} with {@code ipv6=true}) for parameters {@code group-id},
 *       {@code protocol} (tcp, udp, icmp or -1) and {@code from-port}/{@code to-port}. No other CIDR can be named,
 *       so the action can only close exposure, never cut legitimate access. A rule that is already gone
 *       (EC2 lists it as unknown, or answers InvalidPermission.NotFound) is the desired state: success.</li>
 * </ul>
 */
public final class Ec2Executor extends AbstractAwsExecutor {

    public static final String REBOOT = "aws.ec2.reboot";
    public static final String REVOKE_OPEN_INGRESS = "aws.ec2.revoke-open-ingress";

    public Ec2Executor(AwsClients clients) {
        super(clients);
    }

    @Override
    public Set<String> actions() {
        return Set.of(REBOOT, REVOKE_OPEN_INGRESS);
    }

    @Override
    ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException {
        return REBOOT.equals(request.action()) ? reboot(request) : revoke(request);
    }

    private ActionResult reboot(ActionRequest request) throws AwsIds.InvalidIdException {
        String instanceId = AwsIds.instanceId(request);
        clients.ec2().rebootInstances(b -> b.instanceIds(instanceId));
        return ActionResult.success("reboot of " + instanceId + " requested", Map.of("instanceId", instanceId));
    }

    private ActionResult revoke(ActionRequest request) throws AwsIds.InvalidIdException {
        String groupId = AwsIds.require(request, "group-id", AwsIds.SECURITY_GROUP_ID, "security group id");
        String protocol = AwsIds.require(request, "protocol", AwsIds.PROTOCOL, "IP protocol (tcp, udp, icmp, -1)");
        int fromPort = protocol.equals("-1") ? -1 : AwsIds.integer(request, "from-port", -1, 65535);
        int toPort = protocol.equals("-1") ? -1 : AwsIds.integer(request, "to-port", -1, 65535);
        boolean ipv6 = "true".equalsIgnoreCase(request.parameter("ipv6"));
        String cidr = ipv6 ? "::/0" : "0.0.0.0/0";
        IpPermission.Builder permission = IpPermission.builder().ipProtocol(protocol).fromPort(fromPort).toPort(toPort);
        if (ipv6) {
            permission.ipv6Ranges(Ipv6Range.builder().cidrIpv6(cidr).build());
        } else {
            permission.ipRanges(IpRange.builder().cidrIp(cidr).build());
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("groupId", groupId);
        facts.put("rule", protocol + " " + fromPort + "-" + toPort + " from " + cidr);
        RevokeSecurityGroupIngressResponse response;
        try {
            response = clients.ec2().revokeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(permission.build()));
        } catch (AwsServiceException e) {
            if ("InvalidPermission.NotFound".equals(AwsOutcomes.errorCode(e))) {
                facts.put("alreadyRevoked", "true");
                return ActionResult.success("open ingress rule on " + groupId + " was already revoked", facts);
            }
            throw e;
        }
        if (response.hasUnknownIpPermissions() && !response.unknownIpPermissions().isEmpty()) {
            facts.put("alreadyRevoked", "true");
            return ActionResult.success("open ingress rule on " + groupId + " was already revoked", facts);
        }
        return ActionResult.success("revoked " + facts.get("rule") + " on " + groupId, facts);
    }
}
