package io.autonomic.act.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlackAndWebhookChannelTest {

    private static final String SLACK_PATH = "/services/T000/B000/XXXXSECRET";

    private RecordingHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void slack_postsTextAndASectionBlock() throws Exception {
        server.reply("POST", SLACK_PATH, 200, "ok");

        new SlackChannel(server.uri(SLACK_PATH), Duration.ofSeconds(5))
                .deliver(NotifyFixtures.event(IncidentEvent.Kind.RESOLVED, "healthy again"));

        JsonNode body = server.requests().get(0).json();
        assertThat(body.get("text").asText()).isEqualTo("[Autonomic] resolved: http-5xx on process:host-1/checkout");
        assertThat(body.get("blocks").get(0).get("type").asText()).isEqualTo("section");
        assertThat(body.get("blocks").get(0).get("text").get("text").asText())
                .contains("incident: inc-k1").contains("resolved: healthy again");
    }

    @Test
    void slack_refused_errorDoesNotRevealTheWebhookPath() {
        server.reply("POST", SLACK_PATH, 404, "no_team");

        assertThatThrownBy(() -> new SlackChannel(server.uri(SLACK_PATH), Duration.ofSeconds(5))
                .deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, "")))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("404")
                .hasMessageNotContaining("XXXXSECRET");
    }

    @Test
    void webhook_postsTheEventWithBearerToken() throws Exception {
        new WebhookChannel(server.uri("/hooks/autonomic"), "tok-1", Duration.ofSeconds(5))
                .deliver(NotifyFixtures.event(IncidentEvent.Kind.ESCALATED, "breaker open"));

        RecordingHttpServer.Request request = server.requests().get(0);
        assertThat(request.authorization()).isEqualTo("Bearer tok-1");
        JsonNode body = request.json();
        assertThat(body.get("event").asText()).isEqualTo("escalated");
        assertThat(body.get("incidentId").asText()).isEqualTo("inc-k1");
        assertThat(body.get("resourceId").asText()).isEqualTo("process:host-1/checkout");
        assertThat(body.get("playbook").asText()).isEqualTo("restart-on-5xx");
        assertThat(body.get("action").asText()).isEqualTo("process.restart");
        assertThat(body.get("text").asText()).isEqualTo("breaker open");
    }
}
