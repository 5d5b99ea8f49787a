package io.autonomic.act.aws;

import static io.autonomic.act.aws.FakeAwsEndpoint.awsJson;
import static io.autonomic.act.aws.FakeAwsEndpoint.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EcsExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE_ARN = "arn:aws:ecs:us-east-1:123456789012:service/prod/checkout";
    private static final String TASK_ARN = "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef";

    private FakeAwsEndpoint aws;
    private AwsClients clients;
    private EcsExecutor executor;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAwsEndpoint();
        clients = aws.clients();
        executor = new EcsExecutor(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    @Test
    void forceNewDeployment_sendsClusterServiceAndFlag() throws Exception {
        aws.enqueue(awsJson(200, "{\"service\":{\"serviceName\":\"checkout\",\"deployments\":"
                + "[{\"id\":\"ecs-svc/9876\",\"status\":\"PRIMARY\"}]}}"));

        ActionResult result = executor.execute(request(EcsExecutor.FORCE_NEW_DEPLOYMENT, "ecs-service:" + SERVICE_ARN,
                ResourceKind.ECS_SERVICE, Map.of()));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("deploymentId", "ecs-svc/9876");
        FakeAwsEndpoint.Recorded call = aws.requests().get(0);
        assertThat(call.target()).isEqualTo("AmazonEC2ContainerServiceV20141113.UpdateService");
        JsonNode body = JSON.readTree(call.body());
        assertThat(body.get("cluster").asText()).isEqualTo("prod");
        assertThat(body.get("service").asText()).isEqualTo("checkout");
        assertThat(body.get("forceNewDeployment").asBoolean()).isTrue();
        assertThat(body.has("desiredCount")).isFalse();
    }

    @Test
    void forceNewDeployment_serviceNotFound_failsNamingTheError() {
        aws.enqueue(awsJson(400, "{\"__type\":\"ServiceNotFoundException\",\"message\":\"Service not found.\"}"));

        ActionResult result = executor.execute(request(EcsExecutor.FORCE_NEW_DEPLOYMENT, "ecs-service:" + SERVICE_ARN,
                ResourceKind.ECS_SERVICE, Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("errorCode", "ServiceNotFoundException");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void forceNewDeployment_targetNotAServiceArn_refusedWithoutCall() {
        ActionResult result = executor.execute(request(EcsExecutor.FORCE_NEW_DEPLOYMENT, "ecs-service:checkout",
                ResourceKind.ECS_SERVICE, Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("ECS service ARN");
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void stopTask_stopsTheTaskInItsCluster() throws Exception {
        aws.enqueue(awsJson(200, "{\"task\":{\"taskArn\":\"" + TASK_ARN + "\",\"desiredStatus\":\"STOPPED\"}}"));

        ActionResult result = executor.execute(request(EcsExecutor.STOP_TASK, "ecs-task:" + TASK_ARN,
                ResourceKind.ECS_TASK, Map.of()));

        assertThat(result.success()).as(result.detail()).isTrue();
        FakeAwsEndpoint.Recorded call = aws.requests().get(0);
        assertThat(call.target()).isEqualTo("AmazonEC2ContainerServiceV20141113.StopTask");
        JsonNode body = JSON.readTree(call.body());
        assertThat(body.get("cluster").asText()).isEqualTo("prod");
        assertThat(body.get("task").asText()).isEqualTo(TASK_ARN);
        assertThat(body.get("reason").asText()).contains("inc-42/playbook/0");
    }

    @Test
    void stopTask_taskAlreadyGone_isIdempotentSuccess() {
        aws.enqueue(awsJson(400, "{\"__type\":\"InvalidParameterException\",\"message\":\"The referenced task was not found.\"}"));

        ActionResult result = executor.execute(request(EcsExecutor.STOP_TASK, "ecs-task:" + TASK_ARN,
                ResourceKind.ECS_TASK, Map.of()));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("alreadyStopped", "true");
    }

    @Test
    void stopTask_notAuthorized_failsSayingAccessDenied() {
        aws.enqueue(awsJson(400, "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform: ecs:StopTask\"}"));

        ActionResult result = executor.execute(request(EcsExecutor.STOP_TASK, "ecs-task:" + TASK_ARN,
                ResourceKind.ECS_TASK, Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("accessDenied", "true");
        assertThat(aws.requests()).hasSize(1);
    }
}
