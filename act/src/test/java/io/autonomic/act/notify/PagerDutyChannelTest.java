package io.autonomic.act.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import io.autonomic.act.testing.Commands;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagerDutyChannelTest {

    private static final String ACCEPTED = "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"inc-k1\"}";

    private RecordingHttpServer pagerDuty;

    @BeforeEach
    void start() throws Exception {
        pagerDuty = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        pagerDuty.close();
    }

    private PagerDutyChannel channel(boolean pageOnOpen) {
        return new PagerDutyChannel("R0UTINGKEY", pagerDuty.uri("/v2/enqueue"), pageOnOpen, Duration.ofSeconds(5));
    }

    @Test
    void escalated_triggersAnEventV2WithTheIncidentAsDedupKey() throws Exception {
        pagerDuty.reply("POST", "/v2/enqueue", 202, ACCEPTED);

        channel(false).deliver(NotifyFixtures.event(IncidentEvent.Kind.ESCALATED, "verification failed"));

        RecordingHttpServer.Request request = pagerDuty.requests().get(0);
        assertThat(request.contentType()).isEqualTo("application/json");
        JsonNode body = request.json();
        assertThat(body.get("routing_key").asText()).isEqualTo("R0UTINGKEY");
        assertThat(body.get("event_action").asText()).isEqualTo("trigger");
        assertThat(body.get("dedup_key").asText()).isEqualTo(NotifyFixtures.INCIDENT);
        JsonNode payload = body.get("payload");
        assertThat(payload.get("summary").asText())
                .isEqualTo("[Autonomic] escalated: http-5xx on process:host-1/checkout - verification failed");
        assertThat(payload.get("source").asText()).isEqualTo("process:host-1/checkout");
        assertThat(payload.get("severity").asText()).isEqualTo("error");
        assertThat(payload.get("component").asText()).isEqualTo("checkout");
        assertThat(payload.get("class").asText()).isEqualTo("http-5xx");
        assertThat(payload.get("custom_details").get("escalated").asText()).isEqualTo("verification failed");
    }

    @Test
    void resolved_sendsResolveWithTheSameDedupKeyOnly() throws Exception {
        pagerDuty.reply("POST", "/v2/enqueue", 202, ACCEPTED);

        channel(false).deliver(NotifyFixtures.event(IncidentEvent.Kind.RESOLVED, "recovered"));

        JsonNode body = pagerDuty.requests().get(0).json();
        assertThat(body.get("event_action").asText()).isEqualTo("resolve");
        assertThat(body.get("dedup_key").asText()).isEqualTo(NotifyFixtures.INCIDENT);
        assertThat(body.has("payload")).isFalse();
    }

    @Test
    void opened_pagesOnlyWhenConfigured() throws Exception {
        channel(false).deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, "restarting"));
        assertThat(pagerDuty.requests()).isEmpty();

        channel(true).deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, "restarting"));
        assertThat(pagerDuty.requests()).singleElement()
                .satisfies(request -> assertThat(request.json().get("payload").get("severity").asText()).isEqualTo("warning"));
    }

    @Test
    void executor_rejectedEvent_failsWithTheStatus() throws Exception {
        pagerDuty.reply("POST", "/v2/enqueue", 400,
                "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"Length of 'routing_key' is incorrect\"]}");
        NotificationExecutor executor = new NotificationExecutor(NotificationExecutor.PAGERDUTY, channel(false));

        ActionResult result = executor.execute(new ActionRequest(NotificationExecutor.PAGERDUTY,
                Commands.resource(Commands.CHECKOUT, "checkout"), Map.of("event", "escalated", "message", "disk full"),
                "inc-k1/disk/0"));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("statusCode", "400").containsEntry("incidentId", "inc-k1");
        assertThat(result.detail()).contains("400").doesNotContain("R0UTINGKEY");
    }
}
