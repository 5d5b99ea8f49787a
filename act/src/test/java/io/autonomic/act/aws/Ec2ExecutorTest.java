package io.autonomic.act.aws;

import static io.autonomic.act.aws.FakeAwsEndpoint.ec2Error;
import static io.autonomic.act.aws.FakeAwsEndpoint.request;
import static io.autonomic.act.aws.FakeAwsEndpoint.xml;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Ec2ExecutorTest {

    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final String INSTANCE = "ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";
    private static final Map<String, String> OPEN_SSH = Map.of("group-id", "sg-0123456789abcdef0", "protocol", "tcp",
            "from-port", "22", "to-port", "22");

    private FakeAwsEndpoint aws;
    private AwsClients clients;
    private Ec2Executor executor;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAwsEndpoint();
        clients = aws.clients();
        executor = new Ec2Executor(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void reboot_sendsQueryActionWithTheInstanceIdFromTheArn() {
        aws.enqueue(xml(200, "<RebootInstancesResponse xmlns=\"" + NS + "\"><requestId>r1</requestId>"
                + "<return>true</return></RebootInstancesResponse>"));

        ActionResult result = executor.execute(request(Ec2Executor.REBOOT, INSTANCE, ResourceKind.EC2_INSTANCE, Map.of()));

        assertThat(result.success()).as(result.detail()).isTrue();
        FakeAwsEndpoint.Recorded call = aws.requests().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(call.form()).containsEntry("Action", "RebootInstances").containsEntry("Version", "2016-11-15")
                .containsEntry("InstanceId.1", "i-0123456789abcdef0");
    }

    @Test
    void reboot_malformedInstanceId_refusedWithoutCall() {
        ActionResult result = executor.execute(request(Ec2Executor.REBOOT, "ec2-instance:i-123; reboot all",
                ResourceKind.EC2_INSTANCE, Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("refused", "true");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void reboot_throttledThenAccepted_retriedAndSucceeds() {
        aws.enqueue(ec2Error(503, "RequestLimitExceeded", "Request limit exceeded."),
                xml(200, "<RebootInstancesResponse xmlns=\"" + NS + "\"><return>true</return></RebootInstancesResponse>"));

        ActionResult result = executor.execute(request(Ec2Executor.REBOOT, INSTANCE, ResourceKind.EC2_INSTANCE, Map.of()));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests()).hasSize(2);
    }

    @Test
    void reboot_unauthorized_failsSayingAccessDeniedWithoutRetry() {
        aws.enqueue(ec2Error(403, "UnauthorizedOperation", "You are not authorized to perform this operation."));

        ActionResult result = executor.execute(request(Ec2Executor.REBOOT, INSTANCE, ResourceKind.EC2_INSTANCE, Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("accessDenied", "true").containsEntry("errorCode", "UnauthorizedOperation");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void reboot_instanceNotFound_failsNamingTheError() {
        aws.enqueue(ec2Error(400, "InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist"));

        ActionResult result = executor.execute(request(Ec2Executor.REBOOT, INSTANCE, ResourceKind.EC2_INSTANCE, Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("InvalidInstanceID.NotFound");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void revokeOpenIngress_revokesExactlyTheWorldOpenRule() {
        aws.enqueue(xml(200, "<RevokeSecurityGroupIngressResponse xmlns=\"" + NS + "\"><requestId>r2</requestId>"
                + "<return>true</return></RevokeSecurityGroupIngressResponse>"));

        ActionResult result = executor.execute(request(Ec2Executor.REVOKE_OPEN_INGRESS, INSTANCE,
                ResourceKind.EC2_INSTANCE, OPEN_SSH));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).doesNotContainKey("alreadyRevoked");
        assertThat(aws.requests().get(0).form())
                .containsEntry("Action", "RevokeSecurityGroupIngress")
                .containsEntry("GroupId", "sg-0123456789abcdef0")
                .containsEntry("IpPermissions.1.IpProtocol", "tcp")
                .containsEntry("IpPermissions.1.FromPort", "22")
                .containsEntry("IpPermissions.1.ToPort", "22")
                .containsEntry("IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0")
                .doesNotContainKey("IpPermissions.2.IpProtocol")
                .doesNotContainKey("IpPermissions.1.IpRanges.2.CidrIp");
    }

    @Test
    void revokeOpenIngress_ruleAlreadyGone_isIdempotentSuccess() {
        aws.enqueue(xml(200, "<RevokeSecurityGroupIngressResponse xmlns=\"" + NS + "\"><return>true</return>"
                + "<unknownIpPermissionSet><item><ipProtocol>tcp</ipProtocol><fromPort>22</fromPort><toPort>22</toPort>"
                + "<ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges></item></unknownIpPermissionSet>"
                + "</RevokeSecurityGroupIngressResponse>"),
                ec2Error(400, "InvalidPermission.NotFound", "The specified rule does not exist in this security group."));

        ActionResult unknown = executor.execute(request(Ec2Executor.REVOKE_OPEN_INGRESS, INSTANCE,
                ResourceKind.EC2_INSTANCE, OPEN_SSH));
        ActionResult notFound = executor.execute(request(Ec2Executor.REVOKE_OPEN_INGRESS, INSTANCE,
                ResourceKind.EC2_INSTANCE, OPEN_SSH));

        assertThat(unknown.success()).as(unknown.detail()).isTrue();
        assertThat(unknown.attributes()).containsEntry("alreadyRevoked", "true");
        assertThat(notFound.success()).as(notFound.detail()).isTrue();
        assertThat(notFound.attributes()).containsEntry("alreadyRevoked", "true");
    }

    @Test
    void revokeOpenIngress_badGroupIdOrPort_refusedWithoutCall() {
        ActionResult badGroup = executor.execute(request(Ec2Executor.REVOKE_OPEN_INGRESS, INSTANCE,
                ResourceKind.EC2_INSTANCE, Map.of("group-id", "default", "protocol", "tcp", "from-port", "22",
                        "to-port", "22")));
        ActionResult badPort = executor.execute(request(Ec2Executor.REVOKE_OPEN_INGRESS, INSTANCE,
                ResourceKind.EC2_INSTANCE, Map.of("group-id", "sg-0123456789abcdef0", "protocol", "tcp",
                        "from-port", "22", "to-port", "70000")));

        assertThat(badGroup.detail()).contains("security group id");
        assertThat(badPort.detail()).contains("to-port");
        assertThat(aws.requests()).isEmpty();
    }
}
