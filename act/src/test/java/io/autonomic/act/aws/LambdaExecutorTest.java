package io.autonomic.act.aws;

import static io.autonomic.act.aws.FakeAwsEndpoint.request;
import static io.autonomic.act.aws.FakeAwsEndpoint.restJson;
import static io.autonomic.act.aws.FakeAwsEndpoint.restJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LambdaExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "lambda:us-east-1/checkout-fn";
    private static final String VERSIONS = "{\"Versions\":[{\"Version\":\"$LATEST\"},{\"Version\":\"3\"},"
            + "{\"Version\":\"5\"},{\"Version\":\"7\"},{\"Version\":\"8\"}]}";

    private FakeAwsEndpoint aws;
    private AwsClients clients;
    private LambdaExecutor executor;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAwsEndpoint();
        clients = aws.clients();
        executor = new LambdaExecutor(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    private static String alias(String version, String description) {
        return "{\"AliasArn\":\"arn:aws:lambda:us-east-1:123456789012:function:checkout-fn:live\",\"Name\":\"live\","
                + "\"FunctionVersion\":\"" + version + "\",\"Description\":\"" + description + "\",\"RevisionId\":\"rev-1\"}";
    }

    @Test
    void rollbackAlias_movesAliasToTheHighestVersionBelowTheCurrentOne() throws Exception {
        aws.enqueue(restJson(200, alias("7", "")), restJson(200, VERSIONS), restJson(200, alias("5", "rolled back")));

        ActionResult result = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, TARGET,
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "live")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("fromVersion", "7").containsEntry("toVersion", "5");
        assertThat(aws.requests()).extracting(FakeAwsEndpoint.Recorded::method, FakeAwsEndpoint.Recorded::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", "/2015-03-31/functions/checkout-fn/aliases/live"),
                        org.assertj.core.groups.Tuple.tuple("GET", "/2015-03-31/functions/checkout-fn/versions"),
                        org.assertj.core.groups.Tuple.tuple("PUT", "/2015-03-31/functions/checkout-fn/aliases/live"));
        JsonNode update = JSON.readTree(aws.requests().get(2).body());
        assertThat(update.get("FunctionVersion").asText()).isEqualTo("5");
        assertThat(update.get("RevisionId").asText()).isEqualTo("rev-1");
        assertThat(update.get("Description").asText()).contains(LambdaExecutor.marker("inc-42/playbook/0"));
    }

    @Test
    void rollbackAlias_redeliveredAfterRollback_doesNotRollBackAgain() {
        aws.enqueue(restJson(200, alias("5", "rolled back from 7 by " + LambdaExecutor.marker("inc-42/playbook/0"))));

        ActionResult result = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, TARGET,
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "live")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("alreadyRolledBack", "true").containsEntry("toVersion", "5");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void rollbackAlias_alreadyOnRequestedVersion_noUpdate() {
        aws.enqueue(restJson(200, alias("5", "")));

        ActionResult result = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, TARGET,
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "live", "to-version", "5")));

        assertThat(result.success()).isTrue();
        assertThat(result.attributes()).containsEntry("alreadyRolledBack", "true");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void rollbackAlias_noEarlierVersion_fails() {
        aws.enqueue(restJson(200, alias("3", "")), restJson(200, VERSIONS));

        ActionResult result = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, TARGET,
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "live")));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("no earlier published version");
        assertThat(aws.requests()).hasSize(2);
    }

    @Test
    void rollbackAlias_tooManyRequestsThenOk_retried() {
        aws.enqueue(restJsonError(429, "TooManyRequestsException", "Rate exceeded"), restJson(200, alias("5", "")));

        ActionResult result = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, TARGET,
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "live", "to-version", "5")));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests()).hasSize(2);
    }

    @Test
    void rollbackAlias_functionNotFound_failsNamingTheError() {
        aws.enqueue(restJsonError(404, "ResourceNotFoundException", "Function not found: checkout-fn"));

        ActionResult result = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, TARGET,
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "live")));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("errorCode", "ResourceNotFoundException")
                .containsEntry("statusCode", "404");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void rollbackAlias_numericAliasOrBadFunction_refusedWithoutCall() {
        ActionResult numericAlias = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, TARGET,
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "7")));
        ActionResult badTarget = executor.execute(request(LambdaExecutor.ROLLBACK_ALIAS, "lambda:us-east-1/../x",
                ResourceKind.LAMBDA_FUNCTION, Map.of("alias", "live")));

        assertThat(numericAlias.detail()).contains("alias");
        assertThat(badTarget.detail()).contains("Lambda resource id");
        assertThat(aws.requests()).isEmpty();
    }
}
