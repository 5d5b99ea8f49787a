package io.autonomic.act.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JiraChannelTest {

    private static final String TRANSITIONS = "{\"transitions\":[{\"id\":\"11\",\"name\":\"In Progress\",\"to\":{\"name\":\"In Progress\"}},"
            + "{\"id\":\"31\",\"name\":\"Done\",\"to\":{\"name\":\"Done\"}}]}";

    @TempDir
    Path dir;
    private RecordingHttpServer jira;

    @BeforeEach
    void start() throws Exception {
        jira = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        jira.close();
    }

    private JiraChannel channel(int apiVersion, TicketStore store) {
        return new JiraChannel(new JiraChannel.Settings(jira.uri(""), apiVersion, "OPS", "Task", "Done"),
                JiraChannel.basicAuth("bot@example.com", "api-token-1"), store, Duration.ofSeconds(5));
    }

    @Test
    void lifecycle_createsCommentsAndClosesOneIssue_v3() throws Exception {
        jira.reply("POST", "/rest/api/3/issue", 201, "{\"id\":\"10001\",\"key\":\"OPS-7\",\"self\":\"x\"}")
                .reply("GET", "/rest/api/3/issue/OPS-7/transitions", 200, TRANSITIONS);
        TicketStore store = TicketStore.open(dir.resolve("tickets.jsonl"));
        JiraChannel channel = channel(3, store);

        String opened = channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, "restarting checkout"));
        String escalated = channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.ESCALATED, "still failing"));
        String resolved = channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.RESOLVED, "healthy again"));

        assertThat(opened).isEqualTo("created Jira issue OPS-7");
        assertThat(escalated).isEqualTo("commented on Jira issue OPS-7");
        assertThat(resolved).isEqualTo("closed Jira issue OPS-7");
        assertThat(jira.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "POST /rest/api/3/issue",
                "POST /rest/api/3/issue/OPS-7/comment",
                "POST /rest/api/3/issue/OPS-7/comment",
                "GET /rest/api/3/issue/OPS-7/transitions",
                "POST /rest/api/3/issue/OPS-7/transitions");
        String basic = "Basic " + Base64.getEncoder().encodeToString("bot@example.com:api-token-1".getBytes(StandardCharsets.UTF_8));
        assertThat(jira.requests()).extracting(RecordingHttpServer.Request::authorization).containsOnly(basic);

        JsonNode fields = jira.requests().get(0).json().get("fields");
        assertThat(fields.get("project").get("key").asText()).isEqualTo("OPS");
        assertThat(fields.get("issuetype").get("name").asText()).isEqualTo("Task");
        assertThat(fields.get("summary").asText()).isEqualTo("[Autonomic] opened: http-5xx on process:host-1/checkout");
        assertThat(fields.get("labels")).extracting(JsonNode::asText).containsExactly("autonomic", "http-5xx");
        assertThat(fields.get("description").get("type").asText()).isEqualTo("doc");
        assertThat(fields.get("description").get("content").get(0).get("content").get(0).get("text").asText())
                .isEqualTo("error ratio above 20%");
        JsonNode comment = jira.requests().get(1).json().get("body");
        assertThat(comment.get("content").get(0).get("content").get(0).get("text").asText())
                .isEqualTo("escalated: still failing");
        assertThat(jira.requests().get(4).json().get("transition").get("id").asText()).isEqualTo("31");
        assertThat(store.ticket("jira", NotifyFixtures.INCIDENT)).isEmpty();
    }

    @Test
    void resolvedAfterRestart_closesTheIssueOpenedBefore_v2() throws Exception {
        jira.reply("POST", "/rest/api/2/issue", 201, "{\"id\":\"10002\",\"key\":\"OPS-8\"}")
                .reply("GET", "/rest/api/2/issue/OPS-8/transitions", 200, TRANSITIONS);
        Path file = dir.resolve("tickets.jsonl");
        channel(2, TicketStore.open(file)).deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, "restarting"));

        JiraChannel afterRestart = channel(2, TicketStore.open(file));
        afterRestart.deliver(NotifyFixtures.event(IncidentEvent.Kind.RESOLVED, "healthy again"));

        assertThat(jira.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "POST /rest/api/2/issue",
                "POST /rest/api/2/issue/OPS-8/comment",
                "GET /rest/api/2/issue/OPS-8/transitions",
                "POST /rest/api/2/issue/OPS-8/transitions");
        assertThat(jira.requests().get(0).json().get("fields").get("description").asText()).contains("incident: inc-k1");
        assertThat(jira.requests().get(1).json().get("body").asText()).isEqualTo("resolved: healthy again");
        assertThat(TicketStore.open(file).ticket("jira", NotifyFixtures.INCIDENT)).isEmpty();
    }

    @Test
    void resolved_noCloseTransition_failsListingTheAvailableOnesAndKeepsTheTicket() throws Exception {
        jira.reply("POST", "/rest/api/3/issue", 201, "{\"key\":\"OPS-9\"}")
                .reply("GET", "/rest/api/3/issue/OPS-9/transitions", 200,
                        "{\"transitions\":[{\"id\":\"11\",\"name\":\"In Progress\",\"to\":{\"name\":\"In Progress\"}}]}");
        TicketStore store = TicketStore.inMemory();
        JiraChannel channel = channel(3, store);
        channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, ""));

        assertThatThrownBy(() -> channel.deliver(NotifyFixtures.event(IncidentEvent.Kind.RESOLVED, "ok")))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("no transition 'Done'")
                .hasMessageContaining("[In Progress]");
        assertThat(store.ticket("jira", NotifyFixtures.INCIDENT)).contains("OPS-9");
    }

    @Test
    void resolved_withoutTicket_sendsNothing() throws Exception {
        String outcome = channel(3, TicketStore.inMemory())
                .deliver(NotifyFixtures.event(IncidentEvent.Kind.RESOLVED, "ok"));

        assertThat(outcome).contains("no Jira issue");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void createRefused_failsWithoutTheToken() {
        jira.reply("POST", "/rest/api/3/issue", 401, "{\"errorMessages\":[\"Unauthorized\"]}");

        assertThatThrownBy(() -> channel(3, TicketStore.inMemory())
                .deliver(NotifyFixtures.event(IncidentEvent.Kind.OPENED, "")))
                .isInstanceOf(NotificationException.class)
                .hasMessageContaining("401")
                .hasMessageNotContaining("api-token-1");
    }
}
