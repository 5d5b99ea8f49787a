package io.autonomic.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationCheckTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Scenario DB_SCENARIO = Scenario.named("db-degradation").orElseThrow();
    private static final String DB = "process:demo-host/orders-db";
    private static final String CHECKOUT = "process:demo-host/checkout";

    @Test
    void oneIncidentRootedAtTheFaultyService_withOneCommandForIt_holds() {
        CorrelationCheck check = CorrelationCheck.of(DB_SCENARIO, List.of(
                incident("a", DB, "orders-db", List.of(CHECKOUT)),
                command(DB, "orders-db"),
                resolved("a", DB, "orders-db")));

        assertThat(check.holds()).isTrue();
        assertThat(check.describe()).isEqualTo("1 incident for orders-db and its 3 dependents, root cause orders-db, "
                + "1 inhibited; commands for orders-db (1)");
    }

    @Test
    void anIncidentPerService_doesNotHold_andSaysWhy() {
        CorrelationCheck check = CorrelationCheck.of(DB_SCENARIO, List.of(
                incident("a", CHECKOUT, "checkout", List.of()),
                command(CHECKOUT, "checkout"),
                incident("b", DB, "orders-db", List.of()),
                command(DB, "orders-db")));

        assertThat(check.holds()).isFalse();
        assertThat(check.describe()).startsWith("2 incidents for orders-db and its 3 dependents, root cause "
                + "checkout, orders-db; commands for checkout, orders-db (2)");
    }

    @Test
    void oneIncidentRootedAtADependent_doesNotHold() {
        CorrelationCheck check = CorrelationCheck.of(DB_SCENARIO, List.of(
                incident("a", CHECKOUT, "checkout", List.of()), command(CHECKOUT, "checkout")));

        assertThat(check.holds()).isFalse();
    }

    @Test
    void scenarioWithoutDependents_alwaysHolds() {
        Scenario crash = Scenario.named("service-5xx").orElseThrow();

        assertThat(CorrelationCheck.of(crash, List.of()).holds()).isTrue();
    }

    private static TimelineEvent incident(String id, String resource, String service, List<String> inhibited) {
        TimelineEvent.Correlation correlation = new TimelineEvent.Correlation(
                List.of(new TimelineEvent.RankedCause(resource, service, "data", 0.9, List.of())),
                List.of(resource), inhibited, 0);
        return new TimelineEvent(T0, Kind.INCIDENT_OPENED, resource, service, "opened",
                Map.of("incidentId", id), correlation);
    }

    private static TimelineEvent resolved(String id, String resource, String service) {
        return new TimelineEvent(T0, Kind.INCIDENT_RESOLVED, resource, service, "resolved", Map.of("incidentId", id),
                new TimelineEvent.Correlation(List.of(), List.of(resource), List.of(), 0));
    }

    private static TimelineEvent command(String resource, String service) {
        return new TimelineEvent(T0, Kind.COMMAND_ISSUED, resource, service, "restart",
                Map.of("action", "process.restart"));
    }
}
