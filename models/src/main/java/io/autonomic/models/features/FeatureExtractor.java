package io.autonomic.models.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * The feature vector of one resource: its signals (metric names) in a fixed order. Training and live scoring both
 * build their Tribuo examples here. A signal that is absent or not finite is left out of the example (Tribuo reads an
 * absent feature as 0 after the model's own standardization, i.e. "typical"), so a missing metric does not look
 * anomalous by itself.
 */
public final class FeatureExtractor implements Serializable {

    private final List<String> signals;

    private FeatureExtractor(List<String> signals) {
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("signals must not be empty");
        }
        if (signals.stream().distinct().count() != signals.size()) {
            throw new IllegalArgumentException("signals must be distinct: " + signals);
        }
        this.signals = List.copyOf(signals);
    }

    public static FeatureExtractor of(List<String> signals) {
        return new FeatureExtractor(Objects.requireNonNull(signals, "signals"));
    }

    public List<String> signals() {
        return signals;
    }

    /** The example for {@code latest} (signal name to value), labeled with {@code output}. */
    public <T extends Output<T>> Example<T> example(T output, Map<String, Double> latest) {
        List<String> names = new ArrayList<>(signals.size());
        List<Double> values = new ArrayList<>(signals.size());
        for (String signal : signals) {
            Double value = latest.get(signal);
            if (value != null && Double.isFinite(value)) {
                names.add(signal);
                values.add(value);
            }
        }
        return new ArrayExample<>(output, names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureExtractor other && signals.equals(other.signals);
    }

    @Override
    public int hashCode() {
        return signals.hashCode();
    }

    @Override
    public String toString() {
        return "FeatureExtractor" + signals;
    }
}
