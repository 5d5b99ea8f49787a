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

class WafExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET_ID = "a1b2c3d4-5678-90ab-cdef-111111111111";
    private static final String ACL_ID = "a1b2c3d4-5678-90ab-cdef-222222222222";
    private static final Map<String, String> BLOCK = Map.of("scope", "REGIONAL", "ip-set-name", "blocked",
            "ip-set-id", SET_ID, "cidr", "203.0.113.0/24");
    private static final Map<String, String> RATE = Map.of("scope", "REGIONAL", "web-acl-name", "edge",
            "web-acl-id", ACL_ID, "rule-name", "per-ip", "limit", "500");

    private FakeAwsEndpoint aws;
    private AwsClients clients;
    private WafExecutor executor;

    @BeforeEach
    void start() throws Exception {
        aws = new FakeAwsEndpoint();
        clients = aws.clients();
        executor = new WafExecutor(clients);
    }

    @AfterEach
    void stop() {
        clients.close();
        aws.close();
    }

    private static FakeAwsEndpoint.Reply ipSet(String lockToken, String... addresses) {
        return awsJson(200, "{\"IPSet\":{\"Name\":\"blocked\",\"Id\":\"" + SET_ID + "\",\"ARN\":\"arn:aws:wafv2:"
                + "us-east-1:123456789012:regional/ipset/blocked/" + SET_ID + "\",\"Description\":\"abusers\","
                + "\"IPAddressVersion\":\"IPV4\",\"Addresses\":" + toJson(addresses) + "},\"LockToken\":\"" + lockToken + "\"}");
    }

    private static String toJson(String[] values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void blockCidr_addsTheCidrWithTheLockToken() throws Exception {
        aws.enqueue(ipSet("lock-1", "198.51.100.0/24"), awsJson(200, "{\"NextLockToken\":\"lock-2\"}"));

        ActionResult result = executor.execute(request(WafExecutor.BLOCK_CIDR, "service:edge", ResourceKind.SERVICE, BLOCK));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(aws.requests()).extracting(FakeAwsEndpoint.Recorded::target)
                .containsExactly("AWSWAF_20190729.GetIPSet", "AWSWAF_20190729.UpdateIPSet");
        JsonNode get = JSON.readTree(aws.requests().get(0).body());
        assertThat(get.get("Scope").asText()).isEqualTo("REGIONAL");
        assertThat(get.get("Id").asText()).isEqualTo(SET_ID);
        JsonNode update = JSON.readTree(aws.requests().get(1).body());
        assertThat(update.get("LockToken").asText()).isEqualTo("lock-1");
        assertThat(update.get("Description").asText()).isEqualTo("abusers");
        assertThat(JSON.convertValue(update.get("Addresses"), List.class))
                .containsExactly("198.51.100.0/24", "203.0.113.0/24");
    }

    @Test
    void blockCidr_lockTokenStale_rereadsAndRetries() throws Exception {
        aws.enqueue(ipSet("lock-1"),
                awsJson(400, "{\"__type\":\"WAFOptimisticLockException\",\"Message\":\"stale lock token\"}"),
                ipSet("lock-9", "192.0.2.0/24"),
                awsJson(200, "{\"NextLockToken\":\"lock-10\"}"));

        ActionResult result = executor.execute(request(WafExecutor.BLOCK_CIDR, "service:edge", ResourceKind.SERVICE, BLOCK));

        assertThat(result.success()).as(result.detail()).isTrue();
        JsonNode update = JSON.readTree(aws.requests().get(3).body());
        assertThat(update.get("LockToken").asText()).isEqualTo("lock-9");
        assertThat(JSON.convertValue(update.get("Addresses"), List.class))
                .containsExactly("192.0.2.0/24", "203.0.113.0/24");
    }

    @Test
    void blockCidr_alreadyInTheSet_noUpdate() {
        aws.enqueue(ipSet("lock-1", "203.0.113.0/24"));

        ActionResult result = executor.execute(request(WafExecutor.BLOCK_CIDR, "service:edge", ResourceKind.SERVICE, BLOCK));

        assertThat(result.success()).isTrue();
        assertThat(result.attributes()).containsEntry("alreadyBlocked", "true");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void blockCidr_tooBroadOrMalformed_refusedWithoutCall() {
        for (String cidr : List.of("0.0.0.0/0", "10.0.0.0/4", "::/0", "203.0.113.0", "203.0.113.0/24; drop")) {
            Map<String, String> parameters = new java.util.HashMap<>(BLOCK);
            parameters.put("cidr", cidr);

            ActionResult result = executor.execute(request(WafExecutor.BLOCK_CIDR, "service:edge", ResourceKind.SERVICE,
                    parameters));

            assertThat(result.success()).as(cidr).isFalse();
            assertThat(result.attributes()).containsEntry("refused", "true");
        }
        assertThat(aws.requests()).isEmpty();
    }

    @Test
    void blockCidr_ipSetNotFound_failsNamingTheError() {
        aws.enqueue(awsJson(400, "{\"__type\":\"WAFNonexistentItemException\",\"Message\":\"The referenced item does not exist.\"}"));

        ActionResult result = executor.execute(request(WafExecutor.BLOCK_CIDR, "service:edge", ResourceKind.SERVICE, BLOCK));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("errorCode", "WAFNonexistentItemException");
        assertThat(aws.requests()).hasSize(1);
    }

    private static FakeAwsEndpoint.Reply webAcl(long limit) {
        return awsJson(200, "{\"WebACL\":{\"Name\":\"edge\",\"Id\":\"" + ACL_ID + "\",\"ARN\":\"arn:aws:wafv2:us-east-1:"
                + "123456789012:regional/webacl/edge/" + ACL_ID + "\",\"DefaultAction\":{\"Allow\":{}},\"Description\":\"edge acl\","
                + "\"Rules\":[{\"Name\":\"per-ip\",\"Priority\":0,\"Statement\":{\"RateBasedStatement\":{\"Limit\":" + limit
                + ",\"AggregateKeyType\":\"IP\"}},\"Action\":{\"Block\":{}},\"VisibilityConfig\":{\"SampledRequestsEnabled\":true,"
                + "\"CloudWatchMetricsEnabled\":true,\"MetricName\":\"per-ip\"}},"
                + "{\"Name\":\"blocked-ips\",\"Priority\":1,\"Statement\":{\"IPSetReferenceStatement\":{\"ARN\":\"arn:aws:wafv2:"
                + "us-east-1:123456789012:regional/ipset/blocked/" + SET_ID + "\"}},\"Action\":{\"Block\":{}},"
                + "\"VisibilityConfig\":{\"SampledRequestsEnabled\":false,\"CloudWatchMetricsEnabled\":true,\"MetricName\":\"blocked\"}}],"
                + "\"VisibilityConfig\":{\"SampledRequestsEnabled\":true,\"CloudWatchMetricsEnabled\":true,\"MetricName\":\"edge\"}},"
                + "\"LockToken\":\"acl-lock-1\"}");
    }

    @Test
    void setRateLimit_updatesOnlyTheRuleLimitKeepingTheRestOfTheAcl() throws Exception {
        aws.enqueue(webAcl(2000), awsJson(200, "{\"NextLockToken\":\"acl-lock-2\"}"));

        ActionResult result = executor.execute(request(WafExecutor.SET_RATE_LIMIT, "service:edge", ResourceKind.SERVICE, RATE));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("previousLimit", "2000").containsEntry("limit", "500");
        assertThat(aws.requests()).extracting(FakeAwsEndpoint.Recorded::target)
                .containsExactly("AWSWAF_20190729.GetWebACL", "AWSWAF_20190729.UpdateWebACL");
        JsonNode update = JSON.readTree(aws.requests().get(1).body());
        assertThat(update.get("LockToken").asText()).isEqualTo("acl-lock-1");
        assertThat(update.get("DefaultAction").has("Allow")).isTrue();
        assertThat(update.get("VisibilityConfig").get("MetricName").asText()).isEqualTo("edge");
        assertThat(update.get("Rules")).hasSize(2);
        assertThat(update.get("Rules").get(0).get("Statement").get("RateBasedStatement").get("Limit").asLong()).isEqualTo(500);
        assertThat(update.get("Rules").get(0).get("Statement").get("RateBasedStatement").get("AggregateKeyType").asText())
                .isEqualTo("IP");
        assertThat(update.get("Rules").get(1).get("Name").asText()).isEqualTo("blocked-ips");
    }

    @Test
    void setRateLimit_alreadyAtLimit_noUpdate() {
        aws.enqueue(webAcl(500));

        ActionResult result = executor.execute(request(WafExecutor.SET_RATE_LIMIT, "service:edge", ResourceKind.SERVICE, RATE));

        assertThat(result.success()).isTrue();
        assertThat(result.attributes()).containsEntry("alreadyApplied", "true");
        assertThat(aws.requests()).hasSize(1);
    }

    @Test
    void setRateLimit_ruleIsNotRateBased_fails() {
        aws.enqueue(webAcl(500));
        Map<String, String> parameters = new java.util.HashMap<>(RATE);
        parameters.put("rule-name", "blocked-ips");

        ActionResult result = executor.execute(request(WafExecutor.SET_RATE_LIMIT, "service:edge", ResourceKind.SERVICE,
                parameters));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("no rate-based rule 'blocked-ips'");
    }
}
