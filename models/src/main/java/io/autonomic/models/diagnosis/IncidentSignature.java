package io.autonomic.models.diagnosis;

import io.autonomic.schemas.avro.Anomaly;
import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * What an incident looks like, as a set of tokens: which signals were anomalous, in which layers and resource kinds,
 * which detectors fired, which log patterns and cloud events were seen. The diagnosis classifier is trained on the
 * signatures of past incidents and scores live ones through {@link #example}: one feature code path for both.
 *
 * <p>Tokens: {@code signal:<metric>}, {@code layer:<LAYER>}, {@code kind:<RESOURCE_KIND>}, {@code detector:<name>},
 * {@code pattern:<log pattern>} (the {@code pattern} point attribute of {@code log.pattern.count}), {@code
 * event:<name>} (the {@code alarm.name} or {@code config.rule} of a cloud event), {@code template:<id>} and {@code
 * threat:<fact>}. Each token is a binary feature.
 */
public record IncidentSignature(SortedSet<String> tokens) implements Serializable {

    public IncidentSignature {
        tokens = new TreeSet<>(Objects.requireNonNull(tokens, "tokens"));
    }

    public static IncidentSignature of(Collection<String> tokens) {
        return new IncidentSignature(new TreeSet<>(tokens));
    }

    /** The signature of an incident's evidence, whatever resources it spans. */
    public static IncidentSignature fromEvidence(List<Anomaly> evidence) {
        TreeSet<String> tokens = new TreeSet<>();
        for (Anomaly anomaly : evidence) {
            tokens.add("signal:" + anomaly.getMetric());
            tokens.add("detector:" + anomaly.getDetector());
            tokens.add("kind:" + anomaly.getResource().getKind());
            tokens.add("layer:" + anomaly.getContext().getLayer());
            Map<String, String> attributes = anomaly.getAttributes();
            addIfPresent(tokens, "pattern:", attributes.get("pattern"));
            addIfPresent(tokens, "event:", attributes.get("alarm.name"));
            addIfPresent(tokens, "event:", attributes.get("config.rule"));
            addIfPresent(tokens, "template:", attributes.get("template.id"));
            addIfPresent(tokens, "threat:", attributes.get("threat.verdict"));
        }
        return new IncidentSignature(tokens);
    }

    private static void addIfPresent(TreeSet<String> tokens, String prefix, Object value) {
        if (value != null && !value.toString().isBlank()) {
            tokens.add(prefix + value);
        }
    }

    /** The Tribuo example of this signature: every token a feature of value 1. */
    public <T extends Output<T>> Example<T> example(T output) {
        String[] names = tokens.toArray(String[]::new);
        double[] values = new double[names.length];
        java.util.Arrays.fill(values, 1.0);
        return new ArrayExample<>(output, names, values);
    }

    public List<String> tokenList() {
        return List.copyOf(tokens);
    }
}
