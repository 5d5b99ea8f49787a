package io.autonomic.models.diagnosis;

import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A failure family of the seed history: the incident type it is, where it happens (resource kinds and layers, each
 * with the playbook that fixes it there) and the evidence it leaves (signals, each seen with some probability).
 *
 * @param name e.g. {@code ecs-5xx-crash-loop}
 * @param incidentType the label, from the shared incident types
 * @param placements where the root cause sits; weights need not sum to 1
 * @param signals the evidence; the first one is the anchor, kept when chance dropped all of them
 */
public record SeedFamily(String name, String incidentType, List<Placement> placements, List<Signal> signals) {

    public SeedFamily {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(incidentType, "incidentType");
        placements = List.copyOf(placements);
        signals = List.copyOf(signals);
        if (placements.isEmpty() || signals.isEmpty()) {
            throw new IllegalArgumentException("family " + name + " needs placements and signals");
        }
    }

    /**
     * A root-cause resource kind and layer, and the playbook that fixes the family there (empty: none, humans).
     */
    public record Placement(ResourceKind kind, Layer layer, String playbook, double weight) {
    }

    /**
     * One piece of evidence.
     *
     * @param metrics one of these is the anomalous metric (chosen at random: different names for the same thing)
     * @param detector which detector raised it, e.g. {@code ewma-zscore}, {@code rule:db-io-errors}
     * @param attributes anomaly attributes (log pattern, alarm name, config rule, threat verdict)
     * @param presence how often the signal shows up in an incident of the family
     * @param onlyOn the root-cause kinds it shows up on; empty for all
     * @param onDependent raised by a service that depends on the root cause (application layer), not the cause
     */
    public record Signal(List<String> metrics, String detector, Map<String, String> attributes, double presence,
            Set<ResourceKind> onlyOn, boolean onDependent) {

        public Signal {
            metrics = List.copyOf(metrics);
            attributes = Map.copyOf(attributes);
            onlyOn = Set.copyOf(onlyOn);
        }

        public boolean appliesTo(ResourceKind kind) {
            return onlyOn.isEmpty() || onlyOn.contains(kind);
        }
    }
}
