package io.autonomic.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How both timeline printers render a correlated incident: ranked root causes, inhibited resources, members. */
class TimelinePrintersTest {

    private static final Instant INJECTED = Instant.parse("2026-01-05T10:00:00Z");
    private static final Scenario SCENARIO = Scenario.named("db-degradation").orElseThrow();
    private static final String DB = "process:demo-host/orders-db";
    private static final String CHECKOUT = "process:demo-host/checkout";
    private static final String PAYMENTS = "process:demo-host/payments";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void text_correlatedIncident_listsRankedRootCausesAndInhibited_onceUntilTheyChange() {
        DemoRunner.TimelinePrinter printer = DemoRunner.TimelinePrinter.create(out, false);
        printer.scenarioStarted(SCENARIO);
        printer.event(SCENARIO, INJECTED, incident(Kind.INCIDENT_OPENED, 7_200, correlation(List.of(CHECKOUT))));
        printer.event(SCENARIO, INJECTED, incident(Kind.INCIDENT_UPDATED, 8_000, correlation(List.of(CHECKOUT))));
        printer.event(SCENARIO, INJECTED, incident(Kind.INCIDENT_UPDATED, 9_000,
                correlation(List.of(CHECKOUT, PAYMENTS))));

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("+7.2s  incident opened")
                .contains("root causes: 1. " + DB + " (data, score 0.92): its own dependencies are healthy; "
                        + "first anomaly (onset rank 1 of 2)")
                .contains("2. " + CHECKOUT + " (application, score 0.31): depends on an anomalous resource")
                .contains("inhibited:   " + CHECKOUT + "\n")
                .contains("inhibited:   " + CHECKOUT + ", " + PAYMENTS)
                .contains("(4 duplicate anomalies folded in)");
        // the update at +8.0s only added evidence: not printed, counted at the end
        assertThat(text).doesNotContain("+8.0s");
        assertThat(text.split("root causes:", -1)).hasSize(3);
        printer.scenarioFinished(new ScenarioResult(SCENARIO, INJECTED, null, null, false, "not recovered", List.of()));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("1 more incident updates adding evidence only (not shown)");
    }

    @Test
    void text_singleResourceIncident_printsNoCorrelationLines() {
        DemoRunner.TimelinePrinter printer = DemoRunner.TimelinePrinter.create(out, false);
        printer.scenarioStarted(SCENARIO);
        printer.event(SCENARIO, INJECTED, incident(Kind.INCIDENT_OPENED, 1_000,
                new TimelineEvent.Correlation(List.of(), List.of(DB), List.of(), 0)));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("incident opened").doesNotContain("root causes")
                .doesNotContain("inhibited");
    }

    @Test
    void json_incident_carriesRootCausesResourcesAndInhibitedAsArrays() throws Exception {
        DemoRunner.TimelinePrinter printer = DemoRunner.TimelinePrinter.create(out, true);
        printer.event(SCENARIO, INJECTED, incident(Kind.INCIDENT_OPENED, 7_200, correlation(List.of(CHECKOUT))));

        JsonNode line = new ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8).trim());
        assertThat(line.get("kind").asText()).isEqualTo("INCIDENT_OPENED");
        assertThat(line.get("rootCauses")).hasSize(2);
        assertThat(line.get("rootCauses").get(0).get("resource").asText()).isEqualTo(DB);
        assertThat(line.get("rootCauses").get(0).get("layer").asText()).isEqualTo("data");
        assertThat(line.get("rootCauses").get(0).get("score").asDouble()).isEqualTo(0.92);
        assertThat(line.get("rootCauses").get(0).get("reasons")).hasSize(2);
        assertThat(line.get("inhibited").get(0).asText()).isEqualTo(CHECKOUT);
        assertThat(line.get("resources")).hasSize(3);
        assertThat(line.get("suppressedDuplicates").asLong()).isEqualTo(4);
    }

    private static TimelineEvent.Correlation correlation(List<String> inhibited) {
        return new TimelineEvent.Correlation(List.of(
                new TimelineEvent.RankedCause(DB, "orders-db", "data", 0.92,
                        List.of("its own dependencies are healthy", "first anomaly (onset rank 1 of 2)")),
                new TimelineEvent.RankedCause(CHECKOUT, "checkout", "application", 0.31,
                        List.of("depends on an anomalous resource"))),
                List.of(CHECKOUT, DB, PAYMENTS), inhibited, 4);
    }

    private static TimelineEvent incident(Kind kind, long offsetMillis, TimelineEvent.Correlation correlation) {
        return new TimelineEvent(INJECTED.plusMillis(offsetMillis), kind, DB, "orders-db",
                "incident 1234abcd: db-degradation (confidence 0.93), root cause " + DB,
                Map.of("incidentId", "1234abcd-0000", "incidentType", "db-degradation", "rootCause", DB,
                        "playbook", "restart-db-on-io-errors"), correlation);
    }
}
