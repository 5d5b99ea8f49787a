package io.autonomic.detect.config;

import io.autonomic.schemas.avro.TelemetryPoint;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A threshold on one metric: the condition must hold continuously for {@code holdFor} (Prometheus' {@code for})
 * before the rule fires; each firing is an anomaly carrying {@code incidentType}, which is what lets an incident be
 * diagnosed and remediated. Exactly one of {@code above} and {@code below} is set.
 *
 * @param match point attributes that must be equal for the rule to apply; empty matches every series of the metric
 */
public record ThresholdRule(String name, String metric, Double above, Double below, Duration holdFor,
        String incidentType, Map<String, String> match) implements Serializable {

    public ThresholdRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(holdFor, "holdFor");
        Objects.requireNonNull(incidentType, "incidentType");
        if ((above == null) == (below == null)) {
            throw new IllegalArgumentException("rule " + name + ": exactly one of above and below must be set");
        }
        match = Map.copyOf(match == null ? Map.of() : match);
    }

    /** Whether the rule watches this point's series. */
    public boolean appliesTo(TelemetryPoint point) {
        if (!metric.equals(point.getMetric())) {
            return false;
        }
        Map<String, String> attributes = point.getAttributes();
        for (Map.Entry<String, String> required : match.entrySet()) {
            if (attributes == null || !required.getValue().equals(attributes.get(required.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a value violates the threshold (strictly above, or strictly below). */
    public boolean breachedBy(double value) {
        return above != null ? value > above : value < below;
    }

    public double threshold() {
        return above != null ? above : below;
    }

    /** {@code above} or {@code below}, as written in the configuration. */
    public String comparison() {
        return above != null ? "above" : "below";
    }
}
