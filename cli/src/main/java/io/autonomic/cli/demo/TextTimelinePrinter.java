package io.autonomic.cli.demo;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;

/** The readable timeline: one line per step, offsets from the fault injection, guards collapsed into one line. */
final class TextTimelinePrinter implements DemoRunner.TimelinePrinter {

    private final PrintStream out;
    private final List<String> pendingGuards = new ArrayList<>();
    private final Set<String> anomalySeries = new HashSet<>();
    private int repeatedAnomalies;
    private Instant pendingGuardsAt;
    private Instant pendingInjectedAt;

    TextTimelinePrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void info(String message) {
        out.println("· " + message);
    }

    @Override
    public synchronized void scenarioStarted(Scenario scenario) {
        anomalySeries.clear();
        repeatedAnomalies = 0;
        out.println();
        out.println("▶ scenario " + scenario.name() + ": " + scenario.description());
    }

    @Override
    public synchronized void event(Scenario scenario, Instant injectedAt, TimelineEvent event) {
        if (event.kind() == Kind.GUARD_PASSED) {
            if (pendingGuards.isEmpty()) {
                pendingGuardsAt = event.observedAt();
                pendingInjectedAt = injectedAt;
            }
            String guard = event.fields().getOrDefault("guard", "");
            pendingGuards.add(guard.isEmpty() ? event.summary() : guard);
            return;
        }
        if (event.kind() == Kind.ANOMALY_DETECTED
                && !anomalySeries.add(event.resourceId() + "|" + event.fields().get("metric") + "|"
                        + event.fields().get("detector"))) {
            repeatedAnomalies++; // the first anomaly of a series tells the story; the rest are counted
            return;
        }
        flushGuards();
        line(injectedAt, event.observedAt(), event.kind().label(),
                (event.resourceId() == null ? "" : event.resourceId() + "  ") + event.summary());
    }

    private void flushGuards() {
        if (!pendingGuards.isEmpty()) {
            line(pendingInjectedAt, pendingGuardsAt, "guards passed", String.join(", ", pendingGuards));
            pendingGuards.clear();
        }
    }

    private void line(Instant injectedAt, Instant at, String label, String text) {
        out.printf(Locale.ROOT, "  %8s  %-20s %s%n", offset(injectedAt, at), label, text);
    }

    private static String offset(Instant from, Instant at) {
        return String.format(Locale.ROOT, "+%.1fs", Duration.between(from, at).toMillis() / 1000.0);
    }

    @Override
    public synchronized void scenarioFinished(ScenarioResult result) {
        flushGuards();
        if (repeatedAnomalies > 0) {
            out.printf(Locale.ROOT, "  %8s  %-20s %d more anomalies of the same series (not shown)%n", "", "", repeatedAnomalies);
        }
        out.printf(Locale.ROOT, "  ⇒ %s: MTTD %s, MTTR %s — %s%n", result.scenario().name(), seconds(result.timeToDetect()),
                seconds(result.timeToRecover()), result.outcome());
    }

    static String seconds(Duration duration) {
        return duration == null ? "n/a" : String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
