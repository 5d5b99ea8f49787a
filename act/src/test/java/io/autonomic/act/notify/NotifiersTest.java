package io.autonomic.act.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.autonomic.act.ActionExecutor;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifiersTest {

    @TempDir
    Path dir;
    private RecordingHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Options options(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("ticket-store", dir.resolve("tickets.jsonl").toString());
        return Options.of(all, Notifiers.OPTIONS);
    }

    @Test
    void build_nothingConfigured_noExecutorsAndASilentNotifier() {
        Notifiers.Setup setup = Notifiers.build(options(Map.of()), name -> null);

        assertThat(setup.executors()).isEmpty();
        assertThat(setup.notifier().channels()).isEmpty();
        assertThat(dir.resolve("tickets.jsonl")).doesNotExist();
    }

    @Test
    void build_everyChannel_oneExecutorPerAction_secretsFromEnvAndFile() throws Exception {
        Path password = Files.writeString(dir.resolve("snow-password"), "pw-from-file\n");
        Map<String, String> env = Map.of("SLACK_URL", server.uri("/slack").toString(), "PD_KEY", "key-from-env");

        Notifiers.Setup setup = Notifiers.build(options(Map.of(
                "slack-webhook-url", "env:SLACK_URL",
                "pagerduty-routing-key", "env:PD_KEY",
                "jira-url", server.uri("").toString(), "jira-project", "OPS", "jira-bearer-token", "pat-1",
                "servicenow-url", server.uri("").toString(), "servicenow-user", "bot",
                "servicenow-password", "file:" + password,
                "notify-webhook-url", server.uri("/hook").toString())), env::get);

        List<String> actions = setup.executors().stream().flatMap(e -> e.actions().stream()).toList();
        assertThat(actions).containsExactly("notify.slack", "notify.pagerduty", "ticket.jira", "ticket.servicenow",
                "notify.webhook");
        assertThat(setup.notifier().channels()).extracting(NotificationChannel::name)
                .containsExactly("slack", "pagerduty", "jira", "servicenow", "webhook");
    }

    @Test
    void build_missingEnvSecret_failsNamingOptionAndVariable() {
        assertThatThrownBy(() -> Notifiers.build(options(Map.of("slack-webhook-url", "env:NOPE")), name -> null))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("--slack-webhook-url")
                .hasMessageContaining("NOPE");
    }

    @Test
    void build_jiraWithoutCredentials_failsNamingTheOptions() {
        assertThatThrownBy(() -> Notifiers.build(options(Map.of("jira-url", "https://example.atlassian.net",
                "jira-project", "OPS")), name -> null))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("--jira-bearer-token")
                .hasMessageContaining("--jira-api-token");
    }

    @Test
    void build_badSlackUrl_failsWithoutEchoingTheSecret() {
        assertThatThrownBy(() -> Notifiers.build(options(Map.of("slack-webhook-url", "hooks.slack.com/services/SECRET")),
                name -> null))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("--slack-webhook-url")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void notifier_deliversEachHookInOrderAndSurvivesAFailingChannel() {
        server.reply("POST", "/broken", 500, "{}");
        ChannelNotifier notifier = new ChannelNotifier(List.of(
                new WebhookChannel(server.uri("/broken"), null, Duration.ofSeconds(5)),
                new WebhookChannel(server.uri("/hook"), null, Duration.ofSeconds(5))));
        try (notifier) {
            notifier.opened(NotifyFixtures.command(), "restarting");
            notifier.escalated(NotifyFixtures.command(), "still failing");
            notifier.resolved(NotifyFixtures.command(), "healthy");

            await().atMost(Duration.ofSeconds(10)).until(() -> notifier.delivered() + notifier.failures() == 6);
        }
        assertThat(notifier.failures()).isEqualTo(1);
        assertThat(server.requests()).filteredOn(r -> r.path().equals("/hook"))
                .extracting(r -> r.json().get("event").asText())
                .containsExactly("opened", "escalated", "resolved");
    }

    @Test
    void notifyExecutor_eventParameterSelectsTheLifecycleStep() throws Exception {
        ActionExecutor executor = Notifiers.build(options(Map.of("notify-webhook-url", server.uri("/hook").toString())),
                name -> null).executors().get(0);

        var result = executor.execute(new io.autonomic.act.ActionRequest("notify.webhook",
                io.autonomic.act.testing.Commands.resource(io.autonomic.act.testing.Commands.CHECKOUT, "checkout"),
                Map.of("event", "resolved", "message", "done"), "inc-9/restart/0"));
        var refused = executor.execute(new io.autonomic.act.ActionRequest("notify.webhook",
                io.autonomic.act.testing.Commands.resource(io.autonomic.act.testing.Commands.CHECKOUT, "checkout"),
                Map.of("event", "exploded"), "inc-9/restart/0"));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(server.requests()).singleElement().satisfies(request -> {
            assertThat(request.json().get("event").asText()).isEqualTo("resolved");
            assertThat(request.json().get("incidentId").asText()).isEqualTo("inc-9");
        });
        assertThat(refused.success()).isFalse();
        assertThat(refused.detail()).contains("opened, escalated, resolved");
    }
}
