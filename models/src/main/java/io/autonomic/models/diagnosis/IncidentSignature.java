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
 * event:<name>} (the {@code alarm.name} or {@code config.rule} of a cloud event, or the {@code event.name} of an
 * audit event such as a deployment), {@code template:<id>} and {@code threat:<fact>}. Two coarser tokens let the
 * classifier generalize to metric and detector names it was not trained on: {@code detector-kind:<rule|forecast|
 * threat|learned>} and {@code signal-suffix:<last segment of the metric name>} (e.g. {@code utilization}, {@code
 * error_ratio}). Each token is a binary feature.
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
            tokens.add("signal-suffix:" + suffix(anomaly.getMetric()));
            tokens.add("detector:" + anomaly.getDetector());
            tokens.add("detector-kind:" + detectorKind(anomaly.getDetector()));
            tokens.add("kind:" + anomaly.getResource().getKind());
            tokens.add("layer:" + anomaly.getContext().getLayer());
            Map<String, String> attributes = anomaly.getAttributes();
            addIfPresent(tokens, "pattern:", attributes.get("pattern"));
            addIfPresent(tokens, "event:", attributes.get("alarm.name"));
            addIfPresent(tokens, "event:", attributes.get("config.rule"));
            addIfPresent(tokens, "event:", attributes.get("event.name"));
            addIfPresent(tokens, "template:", attributes.get("template.id"));
            addIfPresent(tokens, "threat:", attributes.get("threat.verdict"));
        }
        return new IncidentSignature(tokens);
    }

    /** {@code rule} (threshold rules), {@code forecast}, {@code threat} (detect/threat), else {@code learned}. */
    public static String detectorKind(String detector) {
        if (detector.startsWith("rule:")) {
            return "rule";
        }
        if (detector.contains("forecast")) {
            return "forecast";
        }
        if (detector.startsWith("threat")) {
            return "threat";
        }
        return "learned";
    }

    /** The last dot-separated segment of a metric name: what kind of quantity it is. */
    public static String suffix(String metric) {
        int dot = metric.lastIndexOf('.');
        return dot < 0 ? metric : metric.substring(dot + 1);
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
