package io.autonomic.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shadow-mode and storm scenarios end to end, as {@code ./autonomic demo --scenario shadow-heap --scenario storm}
 * runs them: a proposal approved through the approvals topic, then executed and verified; a fleet failing at once
 * with the worker's blast-radius caps holding.
 */
@Tag("slow")
class DemoShadowAndStormScenarioTest {

    @Test
    void shadowProposalIsApprovedThenExecuted_andStormStaysWithinCaps(@TempDir Path workDir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        DemoRunner runner = new DemoRunner(workDir, Duration.ofSeconds(180), Duration.ofSeconds(5),
                DemoRunner.TimelinePrinter.create(new PrintStream(text, true, StandardCharsets.UTF_8), false),
                Clock.systemUTC());

        List<ScenarioResult> results = runner.run(List.of(Scenario.named("shadow-heap").orElseThrow(),
                Scenario.named("storm").orElseThrow()));

        String timeline = text.toString(StandardCharsets.UTF_8);
        System.out.println(timeline);
        assertThat(results).hasSize(2);
        ScenarioResult shadow = results.get(0);
        assertThat(shadow.recovered()).as(timeline).isTrue();
        List<Kind> shadowKinds = shadow.timeline().stream().map(TimelineEvent::kind).toList();
        assertThat(shadowKinds).containsSubsequence(Kind.COMMAND_ISSUED, Kind.PROPOSED, Kind.APPROVED,
                Kind.ACTION_EXECUTED, Kind.RECOVERY_VERIFIED);
        assertThat(timeline).contains("autonomic approve");

        ScenarioResult storm = results.get(1);
        assertThat(storm.recovered()).as(timeline).isTrue();
        StormTally tally = StormTally.of(storm.timeline());
        assertThat(tally.commands()).isEqualTo(FleetSimulatorSettings.INSTANCES);
        assertThat(tally.maxStartsInAMinute()).isBetween(1, FleetSimulatorSettings.PER_MINUTE_CAP);
        assertThat(tally.maxInFlight()).isBetween(1, FleetSimulatorSettings.CONCURRENT_CAP);
        assertThat(tally.started()).isLessThan(FleetSimulatorSettings.INSTANCES);
        assertThat(tally.queued()).isPositive();
        assertThat(tally.settled()).isEqualTo(tally.commands());
    }
}
