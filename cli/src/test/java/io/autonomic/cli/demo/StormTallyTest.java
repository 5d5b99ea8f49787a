package io.autonomic.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StormTallyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void maxInAnyWindow_slidesOverSortedStarts() {
        List<Instant> starts = List.of(T0.plusSeconds(70), T0, T0.plusSeconds(10), T0.plusSeconds(59),
                T0.plusSeconds(61));
        // 10, 59 and 61 (or 59, 61 and 70) fit in one minute; 0 and 61 do not
        assertThat(StormTally.maxInAnyWindow(starts, Duration.ofMinutes(1))).isEqualTo(3);
        assertThat(StormTally.maxInAnyWindow(List.of(), Duration.ofMinutes(1))).isZero();
    }

    @Test
    void of_countsCommandsStartsAndWhatIsStillInFlight() {
        List<TimelineEvent> events = List.of(
                event(0, TimelineEvent.Kind.COMMAND_ISSUED, "a", Map.of()),
                event(0, TimelineEvent.Kind.COMMAND_ISSUED, "b", Map.of()),
                event(1, TimelineEvent.Kind.ACTION_STARTED, "a", Map.of()),
                event(1, TimelineEvent.Kind.GUARD_BLOCKED, "b", Map.of("guard", "blast-radius")),
                event(2, TimelineEvent.Kind.ACTION_STARTED, "b", Map.of()),
                event(9, TimelineEvent.Kind.RECOVERY_VERIFIED, "a", Map.of()),
                event(9, TimelineEvent.Kind.ESCALATED, "b", Map.of()));

        StormTally tally = StormTally.of(events);

        assertThat(tally).isEqualTo(new StormTally(2, 2, 1, 1, 1, 2, 2, 2));
    }

    @Test
    void of_countsStartsPerMinuteByTheWorkersClock_notByWhenTheDemoSawThem() {
        // three starts 40 s apart by the worker's clock, seen by the demo within two seconds of each other
        List<TimelineEvent> events = List.of(
                event(100, TimelineEvent.Kind.ACTION_STARTED, "a", Map.of(TimelineRecorder.AUDIT_TIME, millis(0))),
                event(101, TimelineEvent.Kind.ACTION_STARTED, "b", Map.of(TimelineRecorder.AUDIT_TIME, millis(40))),
                event(102, TimelineEvent.Kind.ACTION_STARTED, "c", Map.of(TimelineRecorder.AUDIT_TIME, millis(80))));

        assertThat(StormTally.of(events).maxStartsInAMinute()).isEqualTo(2);
    }

    private static String millis(int second) {
        return String.valueOf(T0.plusSeconds(second).toEpochMilli());
    }

    private static TimelineEvent event(int second, TimelineEvent.Kind kind, String command, Map<String, String> extra) {
        Map<String, String> fields = new java.util.HashMap<>(extra);
        fields.put("commandId", command);
        return new TimelineEvent(T0.plusSeconds(second), kind, "process:fleet-host-01/fleet", "fleet", "", fields);
    }
}
