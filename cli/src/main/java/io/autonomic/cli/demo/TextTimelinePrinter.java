package io.autonomic.cli.demo;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The readable timeline: one line per step, offsets from the fault injection, guards collapsed into one line. A
 * correlated incident also gets its ranked root causes and inhibited resources, indented under it, whenever they
 * change.
 */
final class TextTimelinePrinter implements DemoRunner.TimelinePrinter {

    private final PrintStream out;
    private final List<String> pendingGuards = new ArrayList<>();
    private final Set<String> anomalySeries = new HashSet<>();
    /** Per incident id, the correlation lines last printed, so an update repeats them only when they changed. */
    private final Map<String, List<String>> printedCorrelation = new HashMap<>();
    /** Per incident id, what its last printed line said (diagnosis, root cause, playbook, members). */
    private final Map<String, String> printedIncident = new HashMap<>();
    private int repeatedIncidentUpdates;
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
        printedCorrelation.clear();
        printedIncident.clear();
        repeatedAnomalies = 0;
        repeatedIncidentUpdates = 0;
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
        if (event.kind() == Kind.INCIDENT_UPDATED && !incidentChanged(event)) {
            repeatedIncidentUpdates++; // more evidence of the same story: counted, not printed
            return;
        }
        if (event.kind() == Kind.INCIDENT_OPENED) {
            incidentChanged(event);
        }
        flushGuards();
        line(injectedAt, event.observedAt(), event.kind().label(),
                (event.resourceId() == null ? "" : event.resourceId() + "  ") + event.summary());
        if (event.incident() != null && event.incident().isCorrelated() && event.kind() != Kind.INCIDENT_RESOLVED) {
            List<String> lines = correlationLines(event.incident());
            String incidentId = event.fields().getOrDefault("incidentId", "");
            if (!lines.equals(printedCorrelation.put(incidentId, lines))) {
                lines.forEach(text -> out.printf(Locale.ROOT, "  %8s  %-20s %s%n", "", "", text));
            }
        }
    }

    /** Records what the incident now says; true when that differs from what was last printed for it. */
    private boolean incidentChanged(TimelineEvent event) {
        String incidentId = event.fields().getOrDefault("incidentId", "");
        String story = event.fields().get("incidentType") + "|" + event.fields().get("rootCause") + "|"
                + event.fields().get("playbook") + "|"
                + (event.incident() == null ? "" : event.incident().resources() + "|" + event.incident().inhibited());
        return !story.equals(printedIncident.put(incidentId, story));
    }

    /** Root causes best first with score, layer and reasons; then the inhibited resources and folded duplicates. */
    static List<String> correlationLines(TimelineEvent.Correlation correlation) {
        List<String> lines = new ArrayList<>();
        int rank = 1;
        for (TimelineEvent.RankedCause cause : correlation.rootCauses()) {
            lines.add(String.format(Locale.ROOT, "%s %d. %s (%s, score %.2f)%s", rank == 1 ? "root causes:" : "            ",
                    rank, cause.resourceId(), cause.layer(), cause.score(),
                    cause.reasons().isEmpty() ? "" : ": " + String.join("; ", cause.reasons())));
            rank++;
        }
        if (!correlation.inhibited().isEmpty()) {
            lines.add("inhibited:   " + String.join(", ", correlation.inhibited()));
        }
        if (correlation.resources().size() > 1) {
            lines.add("resources:   " + String.join(", ", correlation.resources())
                    + (correlation.suppressedDuplicates() > 0
                            ? " (" + correlation.suppressedDuplicates() + " duplicate anomalies folded in)" : ""));
        }
        return lines;
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
        if (repeatedIncidentUpdates > 0) {
            out.printf(Locale.ROOT, "  %8s  %-20s %d more incident updates adding evidence only (not shown)%n", "", "",
                    repeatedIncidentUpdates);
        }
        out.printf(Locale.ROOT, "  ⇒ %s: MTTD %s, MTTR %s — %s%n", result.scenario().name(), seconds(result.timeToDetect()),
                seconds(result.timeToRecover()), result.outcome());
    }

    static String seconds(Duration duration) {
        return duration == null ? "n/a" : String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
