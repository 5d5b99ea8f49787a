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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's crash scenario end to end, exactly as {@code ./autonomic demo --scenario service-5xx} runs it: real
 * broker, MiniCluster, worker, and two real instrumented service processes.
 */
@Tag("slow")
class DemoServiceScenarioTest {

    @Test
    void service5xx_isDetectedRestartedAndVerified(@TempDir Path workDir) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        DemoRunner runner = new DemoRunner(workDir, Duration.ofSeconds(150), Duration.ofSeconds(5),
                DemoRunner.TimelinePrinter.create(out, false), Clock.systemUTC());

        List<ScenarioResult> results = runner.run(List.of(Scenario.named("service-5xx").orElseThrow()));

        String timeline = text.toString(StandardCharsets.UTF_8);
        System.out.println(timeline);
        assertThat(results).hasSize(1);
        ScenarioResult result = results.get(0);
        assertThat(result.recovered()).as(timeline).isTrue();
        assertThat(result.timeToDetect()).isNotNull().isPositive();
        assertThat(result.timeToRecover()).isNotNull().isGreaterThan(result.timeToDetect());
        Set<Kind> kinds = result.timeline().stream().map(TimelineEvent::kind).collect(Collectors.toSet());
        assertThat(kinds).contains(Kind.ANOMALY_DETECTED, Kind.INCIDENT_OPENED, Kind.COMMAND_ISSUED,
                Kind.GUARD_PASSED, Kind.ACTION_EXECUTED, Kind.RECOVERY_VERIFIED, Kind.INCIDENT_RESOLVED);
        assertThat(result.timeline()).filteredOn(e -> e.kind() == Kind.ACTION_EXECUTED)
                .extracting(e -> e.fields().get("action")).containsOnly("process.restart");
        assertThat(timeline).contains("fault injected").contains("incident opened").contains("guards passed")
                .contains("recovery verified").contains("MTTD").contains("MTTR");
    }
}
