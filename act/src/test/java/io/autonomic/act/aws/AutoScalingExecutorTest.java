package io.autonomic.act.aws;

import static io.autonomic.act.aws.FakeAwsEndpoint.queryError;
import static io.autonomic.act.aws.FakeAwsEndpoint.request;
import static io.autonomic.act.aws.FakeAwsEndpoint.xml;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AutoScalingExecutorTest {

    private static final String NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    private static final String INSTANCE = "ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";

    private FakeAwsEndpoint aws;
    private AwsClients clients;
    private AutoScalingExecutor executor;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAwsEndpoint();
        clients = aws.clients();
        executor = new AutoScalingExecutor(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    private static FakeAwsEndpoint.Reply ok(String operation) {
        return xml(200, "<" + operation + "Response xmlns=\"" + NS + "\"><ResponseMetadata><RequestId>r</RequestId>"
                + "</ResponseMetadata></" + operation + "Response>");
    }

    @Test
    void setDesiredCapacity_sendsGroupAndCapacity() {
        aws.enqueue(ok("SetDesiredCapacity"));

        ActionResult result = executor.execute(request(AutoScalingExecutor.SET_DESIRED_CAPACITY, "service:web",
                ResourceKind.SERVICE, Map.of("group", "web-asg", "desired-capacity", "6")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests().get(0).form()).containsEntry("Action", "SetDesiredCapacity")
                .containsEntry("Version", "2011-01-01")
                .containsEntry("AutoScalingGroupName", "web-asg")
                .containsEntry("DesiredCapacity", "6")
                .containsEntry("HonorCooldown", "true");
    }

    @Test
    void setDesiredCapacity_throttledThenAccepted_retriedAndSucceeds() {
        aws.enqueue(queryError(400, NS, "Throttling", "Rate exceeded"), ok("SetDesiredCapacity"));

        ActionResult result = executor.execute(request(AutoScalingExecutor.SET_DESIRED_CAPACITY, "service:web",
                ResourceKind.SERVICE, Map.of("group", "web-asg", "desired-capacity", "6")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests()).hasSize(2);
    }

    @Test
    void setDesiredCapacity_groupNotFound_failsNamingTheError() {
        aws.enqueue(queryError(400, NS, "ValidationError", "AutoScalingGroup name not found - web-asg"));

        ActionResult result = executor.execute(request(AutoScalingExecutor.SET_DESIRED_CAPACITY, "service:web",
                ResourceKind.SERVICE, Map.of("group", "web-asg", "desired-capacity", "6")));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("ValidationError").contains("not found");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void setDesiredCapacity_negativeCapacity_refusedWithoutCall() {
        ActionResult result = executor.execute(request(AutoScalingExecutor.SET_DESIRED_CAPACITY, "service:web",
                ResourceKind.SERVICE, Map.of("group", "web-asg", "desired-capacity", "-1")));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("desired-capacity");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void setInstanceUnhealthy_marksTheTargetInstance() {
        aws.enqueue(ok("SetInstanceHealth"));

        ActionResult result = executor.execute(request(AutoScalingExecutor.SET_INSTANCE_UNHEALTHY, INSTANCE,
                ResourceKind.EC2_INSTANCE, Map.of()));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests().get(0).form()).containsEntry("Action", "SetInstanceHealth")
                .containsEntry("InstanceId", "i-0123456789abcdef0")
                .containsEntry("HealthStatus", "Unhealthy")
                .containsEntry("ShouldRespectGracePeriod", "true");
    }

    @Test
    void setInstanceUnhealthy_accessDenied_failsWithoutRetry() {
        aws.enqueue(queryError(403, NS, "AccessDenied", "User is not authorized to perform autoscaling:SetInstanceHealth"));

        ActionResult result = executor.execute(request(AutoScalingExecutor.SET_INSTANCE_UNHEALTHY, INSTANCE,
                ResourceKind.EC2_INSTANCE, Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("accessDenied", "true");
        assertThat(aws.requests()).hasSize(1);
    }
}
