package io.autonomic.detect.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deserialized model release, ready to judge one resource from the latest values of its signals. Implementations
 * are created once per task and version by their {@link LiveModelFamily} and must be cheap to call per snapshot.
 */
public interface LiveModel {

    /** The release's model name, e.g. {@code anomaly/HOST_PROCESS}. */
    String name();

    /** The release's version (payload digest): what every anomaly it raises names. */
    String version();

    /** The signals (metric names) the model reads; the scoring function keeps only these per resource. */
    List<String> signals();

    /** A finding when the snapshot is abnormal; empty when it is normal. Never throws on odd values. */
    Optional<Finding> evaluate(Map<String, Double> signals);

    /**
     * What a model found, in the terms of an {@link io.autonomic.schemas.avro.Anomaly}: {@code score} in [0,1],
     * the observed and expected values with the band of normal, the signal most to blame and a human reason.
     */
    record Finding(double score, double observed, double expected, double lower, double upper, String metric,
            String reason) {
    }
}
