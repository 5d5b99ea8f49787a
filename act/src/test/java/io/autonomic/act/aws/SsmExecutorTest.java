package io.autonomic.act.aws;

import static io.autonomic.act.aws.FakeAwsEndpoint.awsJson;
import static io.autonomic.act.aws.FakeAwsEndpoint.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SsmExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE = "ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0";

    private FakeAwsEndpoint aws;
    private AwsClients clients;
    private SsmExecutor executor;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAwsEndpoint();
        clients = aws.clients();
        executor = new SsmExecutor(clients, Map.of("tmp-logs",
                List.of("find /var/log/app -name '*.gz' -mtime +1 -delete", "df -h /var/log")));
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void clientToken_isStableUuidOfTheKey() {
        String token = SsmExecutor.clientToken("inc-42/playbook/0");

        assertThat(token).hasSize(36).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(SsmExecutor.clientToken("inc-42/playbook/0")).isEqualTo(token);
        assertThat(SsmExecutor.clientToken("inc-42/playbook/1")).isNotEqualTo(token);
    }

    @Test
    void startAutomation_sendsDocumentParametersAndClientToken() throws Exception {
        aws.enqueue(awsJson(200, "{\"AutomationExecutionId\":\"exec-1\"}"));

        ActionResult result = executor.execute(request(SsmExecutor.START_AUTOMATION, INSTANCE, ResourceKind.EC2_INSTANCE,
                Map.of("document", "AWS-RestartEC2Instance", "automation.InstanceId", "i-0123456789abcdef0")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("automationExecutionId", "exec-1");
        FakeAwsEndpoint.Recorded call = aws.requests().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.target()).isEqualTo("AmazonSSM.StartAutomationExecution");
        assertThat(call.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(call.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + FakeAwsEndpoint.ACCESS_KEY)
                .contains("/us-east-1/ssm/aws4_request");
        JsonNode body = JSON.readTree(call.body());
        assertThat(body.get("DocumentName").asText()).isEqualTo("AWS-RestartEC2Instance");
        assertThat(body.get("Parameters").get("InstanceId").get(0).asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(body.get("ClientToken").asText()).isEqualTo(SsmExecutor.clientToken("inc-42/playbook/0"));
    }

    @Test
    void startAutomation_throttledTwice_retriedWithTheSameTokenThenSucceeds() throws Exception {
        aws.enqueue(awsJson(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"),
                awsJson(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"),
                awsJson(200, "{\"AutomationExecutionId\":\"exec-2\"}"));

        ActionResult result = executor.execute(request(SsmExecutor.START_AUTOMATION, INSTANCE, ResourceKind.EC2_INSTANCE,
                Map.of("document", "AWS-RestartEC2Instance")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests()).hasSize(3)
                .extracting(call -> JSON.readTree(call.body()).get("ClientToken").asText())
                .containsOnly(SsmExecutor.clientToken("inc-42/playbook/0"));
    }

    @Test
    void startAutomation_throttledOnEveryAttempt_reportsThrottled() {
        for (int i = 0; i < 3; i++) {
            aws.enqueue(awsJson(400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"));
        }

        ActionResult result = executor.execute(request(SsmExecutor.START_AUTOMATION, INSTANCE, ResourceKind.EC2_INSTANCE,
                Map.of("document", "AWS-RestartEC2Instance")));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("throttled", "true").containsEntry("errorCode", "ThrottlingException");
        assertThat(result.detail()).contains("throttled").contains("3 attempts");
        assertThat(aws.requests()).hasSize(3);
    }

    @Test
    void startAutomation_accessDenied_failsWithoutRetry() {
        aws.enqueue(awsJson(400, "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform ssm:StartAutomationExecution\"}"));

        ActionResult result = executor.execute(request(SsmExecutor.START_AUTOMATION, INSTANCE, ResourceKind.EC2_INSTANCE,
                Map.of("document", "AWS-RestartEC2Instance")));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("accessDenied", "true");
        assertThat(result.detail()).contains("denied").contains("IAM");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void startAutomation_badDocumentName_refusedWithoutCall() {
        ActionResult result = executor.execute(request(SsmExecutor.START_AUTOMATION, INSTANCE, ResourceKind.EC2_INSTANCE,
                Map.of("document", "x; rm -rf /")));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("refused", "true");
        assertThat(result.detail()).contains("parameter 'document'");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void runCleanup_sendsOnlyTheConfiguredLinesToTheTargetInstance() throws Exception {
        aws.enqueue(awsJson(200, "{\"Command\":{\"CommandId\":\"cmd-1\",\"DocumentName\":\"AWS-RunShellScript\"}}"));

        ActionResult result = executor.execute(request(SsmExecutor.RUN_CLEANUP, INSTANCE, ResourceKind.EC2_INSTANCE,
                Map.of("command", "tmp-logs")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("commandId", "cmd-1").containsEntry("instanceId", "i-0123456789abcdef0");
        FakeAwsEndpoint.Recorded call = aws.requests().get(0);
        assertThat(call.target()).isEqualTo("AmazonSSM.SendCommand");
        JsonNode body = JSON.readTree(call.body());
        assertThat(body.get("DocumentName").asText()).isEqualTo("AWS-RunShellScript");
        assertThat(body.get("InstanceIds").get(0).asText()).isEqualTo("i-0123456789abcdef0");
        assertThat(JSON.convertValue(body.get("Parameters").get("commands"), List.class))
                .containsExactly("find /var/log/app -name '*.gz' -mtime +1 -delete", "df -h /var/log");
    }

    @Test
    void runCleanup_nameNotInAllowlist_refusedWithoutCall() {
        ActionResult result = executor.execute(request(SsmExecutor.RUN_CLEANUP, INSTANCE, ResourceKind.EC2_INSTANCE,
                Map.of("command", "rm -rf /")));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("not in the configured allowlist").contains("tmp-logs");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void runCleanup_targetNotAnInstance_refusedWithoutCall() {
        ActionResult result = executor.execute(request(SsmExecutor.RUN_CLEANUP, "process:host-1/checkout",
                ResourceKind.HOST_PROCESS, Map.of("command", "tmp-logs")));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("EC2 instance");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void runCleanup_processOnEc2_usesTheHostIdAttribute() throws Exception {
        aws.enqueue(awsJson(200, "{\"Command\":{\"CommandId\":\"cmd-2\"}}"));
        var target = io.autonomic.schemas.avro.Resource.newBuilder().setId("process:ip-10-0-0-1/checkout")
                .setKind(ResourceKind.HOST_PROCESS).setService("checkout")
                .setAttributes(Map.of("host.id", "i-0fedcba9876543210", "service.name", "checkout")).build();

        ActionResult result = executor.execute(new io.autonomic.act.ActionRequest(SsmExecutor.RUN_CLEANUP, target,
                Map.of("command", "tmp-logs"), "inc-43/disk/0"));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(JSON.readTree(aws.requests().get(0).body()).get("InstanceIds").get(0).asText())
                .isEqualTo("i-0fedcba9876543210");
    }
}
