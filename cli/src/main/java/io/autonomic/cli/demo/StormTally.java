package io.autonomic.cli.demo;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the worker did with a storm's commands, counted from the timeline, and whether its caps held. */
record StormTally(int commands, int started, int verified, int escalated, int queued, int settled,
        int maxStartsInAMinute, int maxInFlight) {

    static StormTally of(List<TimelineEvent> events) {
        Set<String> commands = new HashSet<>();
        Set<String> queued = new HashSet<>();
        Set<String> settled = new HashSet<>();
        List<Instant> starts = new ArrayList<>();
        Set<String> inFlight = new HashSet<>(); // started, not yet verified or given up
        int verified = 0;
        int escalated = 0;
        int maxInFlight = 0;
        for (TimelineEvent event : events) {
            String command = event.fields().getOrDefault("commandId", "");
            switch (event.kind()) {
                case COMMAND_ISSUED -> commands.add(command);
                case GUARD_BLOCKED -> {
                    if ("blast-radius".equals(event.fields().get("guard"))) {
                        queued.add(command);
                    }
                }
                case ACTION_STARTED -> {
                    starts.add(workerTime(event));
                    inFlight.add(command);
                    maxInFlight = Math.max(maxInFlight, inFlight.size());
                }
                case ACTION_FAILED -> inFlight.remove(command);
                case RECOVERY_VERIFIED -> {
                    verified++;
                    settled.add(command);
                    inFlight.remove(command);
                }
                case ESCALATED -> {
                    escalated++;
                    settled.add(command);
                    inFlight.remove(command);
                }
                default -> {
                }
            }
        }
        return new StormTally(commands.size(), starts.size(), verified, escalated, queued.size(), settled.size(),
                maxInAnyWindow(starts, Duration.ofMinutes(1)), maxInFlight);
    }

    /**
     * When the worker started the action by its own clock, from the audit record; the time the demo saw the record
     * only when that is missing. On a busy machine the demo's consumer sees audit records in bursts, so counting by
     * observation time would squeeze starts a minute apart into one window the worker never had.
     */
    private static Instant workerTime(TimelineEvent event) {
        String millis = event.fields().get(TimelineRecorder.AUDIT_TIME);
        return millis == null || millis.isEmpty() ? event.observedAt() : Instant.ofEpochMilli(Long.parseLong(millis));
    }

    /** The most starts within any window of the given length (a sliding window over the sorted start times). */
    static int maxInAnyWindow(List<Instant> times, Duration window) {
        List<Instant> sorted = times.stream().sorted().toList();
        int max = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (!sorted.get(from).plus(window).isAfter(sorted.get(to))) {
                from++;
            }
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    String describe() {
        return String.format(Locale.ROOT, "%d commands; %d restarts started (at most %d in any minute, cap %d; "
                        + "at most %d awaiting verification at once, cap %d), %d recovered, %d queued behind the caps, "
                        + "%d escalated",
                commands, started, maxStartsInAMinute, FleetSimulatorSettings.PER_MINUTE_CAP, maxInFlight,
                FleetSimulatorSettings.CONCURRENT_CAP, verified, queued, escalated);
    }
}
