package io.autonomic.detect.incident;

import io.autonomic.schemas.avro.Layer;
import java.util.Objects;
import java.util.Set;

/**
 * One anomalous resource of a correlated incident, as root-cause ranking and grouping see it.
 *
 * @param resourceId the resource
 * @param service its service (topology name), or null when unknown: then it relates to nothing
 * @param layer its layer in the topology
 * @param onsetMillis event time of its first anomaly in the incident
 * @param maxScore its strongest anomaly score, in [0, 1]
 * @param dependencies services it depends on: declared and observed in traces, from its latest topology context
 */
public record CorrelationCandidate(String resourceId, String service, Layer layer, long onsetMillis, double maxScore,
        Set<String> dependencies) {

    public CorrelationCandidate {
        Objects.requireNonNull(resourceId, "resourceId");
        layer = layer == null ? Layer.UNKNOWN : layer;
        dependencies = Set.copyOf(dependencies);
    }

    /** Whether this resource depends directly on the other's service. */
    public boolean dependsOn(CorrelationCandidate other) {
        return other.service != null && !other.resourceId.equals(resourceId) && dependencies.contains(other.service);
    }
}
