package io.autonomic.detect.model;

import io.autonomic.models.anomaly.ResourceAnomalyModel;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@value ResourceAnomalyModel#FAMILY} family: a one-class SVM per resource kind ({@code anomaly/<KIND>}, falling
 * back to {@code anomaly/default}) over the latest values of the resource's signals.
 *
 * <p>A finding's {@code observed} is the SVM decision value, which is negative outside the learned region and grows
 * in magnitude with the distance from it; the band of normal is {@code [0, +inf)} and {@code expected} is the
 * boundary 0. The reason names the signals furthest from their training mean, in training standard deviations.
 */
public final class AnomalyModelFamily implements LiveModelFamily {

    private static final long serialVersionUID = 1L;
    /** How many signals a reason names. */
    static final int REASON_SIGNALS = 3;

    @Override
    public String family() {
        return ResourceAnomalyModel.FAMILY;
    }

    @Override
    public List<String> candidateNames(ResourceKind kind) {
        return List.of(ResourceAnomalyModel.NAME_PREFIX + kind.name(),
                ResourceAnomalyModel.NAME_PREFIX + ResourceAnomalyModel.DEFAULT_KIND);
    }

    @Override
    public LiveModel load(ModelRelease release) {
        return new Live(ResourceAnomalyModel.fromRelease(release));
    }

    private record Live(ResourceAnomalyModel model) implements LiveModel {

        @Override
        public String name() {
            return model.modelName();
        }

        @Override
        public String version() {
            return model.version();
        }

        @Override
        public List<String> signals() {
            return model.features().signals();
        }

        @Override
        public Optional<Finding> evaluate(Map<String, Double> signals) {
            ResourceAnomalyModel.Scored scored = model.score(signals);
            if (!scored.anomalous()) {
                return Optional.empty();
            }
            List<ResourceAnomalyModel.Deviation> deviations = model.mostDeviating(signals, REASON_SIGNALS);
            String metric = deviations.isEmpty() ? name() : deviations.get(0).signal();
            String blamed = deviations.stream()
                    .map(d -> String.format(Locale.ROOT, "%s=%.4g (%+.1fσ)", d.signal(), d.value(), d.standardized()))
                    .collect(Collectors.joining(", "));
            String reason = String.format(Locale.ROOT,
                    "one-class SVM %s version %s: decision %.4g is outside the learned region (>= 0) over %d of %d "
                            + "signals%s", name(), version(), scored.decision(), present(signals), signals().size(),
                    blamed.isEmpty() ? "" : "; furthest from training: " + blamed);
            return Optional.of(new Finding(scored.score(), scored.decision(), 0.0, 0.0, Double.POSITIVE_INFINITY,
                    metric, reason));
        }

        private int present(Map<String, Double> values) {
            int present = 0;
            for (String signal : signals()) {
                Double value = values.get(signal);
                if (value != null && Double.isFinite(value)) {
                    present++;
                }
            }
            return present;
        }
    }
}
