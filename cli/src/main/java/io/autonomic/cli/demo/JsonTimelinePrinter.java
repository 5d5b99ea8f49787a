package io.autonomic.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The timeline as JSON lines: {@code info}, {@code event} and {@code scenario} objects, one per line. */
final class JsonTimelinePrinter implements DemoRunner.TimelinePrinter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;

    JsonTimelinePrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void info(String message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "info");
        line.put("message", message);
        print(line);
    }

    @Override
    public synchronized void scenarioStarted(Scenario scenario) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "scenario-started");
        line.put("scenario", scenario.name());
        line.put("description", scenario.description());
        line.put("service", scenario.service());
        print(line);
    }

    @Override
    public synchronized void event(Scenario scenario, Instant injectedAt, TimelineEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "event");
        line.put("scenario", scenario.name());
        line.put("at", event.observedAt().toString());
        line.put("offsetMillis", Duration.between(injectedAt, event.observedAt()).toMillis());
        line.put("kind", event.kind().name());
        line.put("label", event.kind().label());
        line.put("resource", event.resourceId());
        line.put("service", event.service());
        line.put("summary", event.summary());
        line.put("fields", event.fields());
        if (event.incident() != null) {
            List<Map<String, Object>> causes = new ArrayList<>();
            for (TimelineEvent.RankedCause cause : event.incident().rootCauses()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("resource", cause.resourceId());
                entry.put("service", cause.service());
                entry.put("layer", cause.layer());
                entry.put("score", cause.score());
                entry.put("reasons", cause.reasons());
                causes.add(entry);
            }
            line.put("rootCauses", causes);
            line.put("resources", event.incident().resources());
            line.put("inhibited", event.incident().inhibited());
            line.put("suppressedDuplicates", event.incident().suppressedDuplicates());
        }
        print(line);
    }

    @Override
    public synchronized void scenarioFinished(ScenarioResult result) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "scenario");
        line.put("scenario", result.scenario().name());
        line.put("injectedAt", result.injectedAt().toString());
        line.put("mttdMillis", result.timeToDetect() == null ? null : result.timeToDetect().toMillis());
        line.put("mttrMillis", result.timeToRecover() == null ? null : result.timeToRecover().toMillis());
        line.put("recovered", result.recovered());
        line.put("outcome", result.outcome());
        print(line);
    }

    private void print(Map<String, Object> line) {
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"type\":\"error\",\"message\":\"cannot write timeline line\"}");
        }
    }
}
