package io.autonomic.ingest;

import io.autonomic.schemas.avro.TelemetryPoint;
import java.util.List;
import java.util.Objects;

/**
 * What one OTLP request decoded into: the points that could be read, and the problems that cost others.
 *
 * @param points the decoded points, in request order
 * @param problems what could not be decoded; empty when the whole request was usable
 */
public record DecodeResult(List<TelemetryPoint> points, List<DecodeProblem> problems) {

    private static final int SUMMARY_PROBLEMS = 5;

    public DecodeResult {
        points = List.copyOf(Objects.requireNonNull(points, "points"));
        problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** The reason of the first problem, which names the dead letter of the whole record; null without problems. */
    public String firstReason() {
        return problems.isEmpty() ? null : problems.get(0).reason();
    }

    /** A short human summary of the problems: their count and the first few. */
    public String problemSummary() {
        if (problems.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        text.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append(", ").append(points.size()).append(" points decoded: ");
        for (int i = 0; i < Math.min(SUMMARY_PROBLEMS, problems.size()); i++) {
            if (i > 0) {
                text.append("; ");
            }
            text.append(problems.get(i));
        }
        if (problems.size() > SUMMARY_PROBLEMS) {
            text.append("; …");
        }
        return text.toString();
    }
}
