package io.autonomic.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database scenario end to end, exactly as {@code ./autonomic demo --scenario db-degradation} runs it: real
 * broker, MiniCluster, worker, the database and the three services that query it as real processes. A failing
 * database must show up as ONE incident naming the database as top root cause, the dependents' alerts attached to it
 * (not incidents of their own), one restart of the database, and verified recovery.
 */
@Tag("slow")
class DemoDatabaseScenarioTest {

    private static final String DATABASE_ID = "process:demo-host/" + DemoDatabase.NAME;

    @Test
    void dbDegradation_isOneIncidentRootedAtTheDatabase_restartedAndVerified(@TempDir Path workDir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        Scenario scenario = Scenario.named("db-degradation").orElseThrow();
        DemoRunner runner = new DemoRunner(workDir, Duration.ofSeconds(150), Duration.ofSeconds(5),
                DemoRunner.TimelinePrinter.create(out, false), Clock.systemUTC());

        List<ScenarioResult> results = runner.run(List.of(scenario));

        String timeline = text.toString(StandardCharsets.UTF_8);
        System.out.println(timeline);
        assertThat(results).hasSize(1);
        ScenarioResult result = results.get(0);
        List<TimelineEvent> events = result.timeline();

        // the fault propagated: the database alerted, and so did at least one of the services querying it
        assertThat(events).filteredOn(e -> e.kind() == Kind.ANOMALY_DETECTED)
                .extracting(TimelineEvent::service).contains(DemoDatabase.NAME)
                .containsAnyElementsOf(scenario.dependents());

        // one incident for the database and its dependents
        List<TimelineEvent> incidentEvents = events.stream().filter(e -> e.kind() == Kind.INCIDENT_OPENED
                || e.kind() == Kind.INCIDENT_UPDATED || e.kind() == Kind.INCIDENT_RESOLVED).toList();
        assertThat(incidentEvents).as(timeline).isNotEmpty();
        assertThat(incidentEvents).extracting(e -> e.fields().get("incidentId")).as(timeline).containsOnly(
                incidentEvents.get(0).fields().get("incidentId"));
        TimelineEvent latest = incidentEvents.stream().filter(e -> e.kind() != Kind.INCIDENT_RESOLVED)
                .reduce((first, second) -> second).orElseThrow();
        assertThat(latest.resourceId()).isEqualTo(DATABASE_ID);
        assertThat(latest.fields()).containsEntry("incidentType", "db-degradation")
                .containsEntry("rootCause", DATABASE_ID)
                .containsEntry("playbook", "restart-db-on-io-errors");
        assertThat(latest.incident().rootCauses()).isNotEmpty();
        assertThat(latest.incident().rootCauses().get(0).resourceId()).isEqualTo(DATABASE_ID);
        assertThat(latest.incident().rootCauses().get(0).layer()).isEqualTo("data");

        // every dependent that alerted is part of that incident (a member or inhibited), not an incident of its own
        Set<String> correlated = new HashSet<>(latest.incident().resources());
        correlated.addAll(latest.incident().inhibited());
        Set<String> alertedDependents = events.stream()
                .filter(e -> e.kind() == Kind.ANOMALY_DETECTED && scenario.dependents().contains(e.service()))
                .map(TimelineEvent::resourceId).collect(Collectors.toSet());
        assertThat(correlated).as(timeline).containsAll(alertedDependents);

        // one command, for the database only; the restart executed and verified; the incident resolved
        assertThat(events).filteredOn(e -> e.kind() == Kind.COMMAND_ISSUED).as(timeline).singleElement()
                .satisfies(command -> {
                    assertThat(command.resourceId()).isEqualTo(DATABASE_ID);
                    assertThat(command.fields()).containsEntry("action", "process.restart")
                            .containsEntry("playbook", "restart-db-on-io-errors");
                });
        assertThat(events).filteredOn(e -> e.kind() == Kind.ACTION_EXECUTED)
                .extracting(TimelineEvent::service, e -> e.fields().get("action"))
                .containsOnly(org.assertj.core.groups.Tuple.tuple(DemoDatabase.NAME, "process.restart"));
        assertThat(events).extracting(TimelineEvent::kind).contains(Kind.RECOVERY_VERIFIED, Kind.INCIDENT_RESOLVED);
        assertThat(result.recovered()).as(timeline).isTrue();
        assertThat(result.timeToRecover()).isNotNull().isGreaterThan(result.timeToDetect());

        // the readable timeline ranks the root causes under the incident line
        assertThat(timeline).contains("root causes: 1. " + DATABASE_ID + " (data, score")
                .contains("restart-db-on-io-errors").contains("recovered: 1 incident for orders-db");
    }
}
