package io.autonomic.models.forecast;

import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.features.TrendState;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.ModelRelease;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * "Fails within the horizon": a Tribuo ensemble of extremely randomized CART trees over the {@link TrendFeatures} of
 * one utilization series (disk, memory, connection pool), labels {@link #FAILS} / {@link #OK}. The probability is the
 * trees' mean leaf distribution; the series is forecast to fail once it has stayed at or above the model's threshold
 * for the confirmation time (both kept in the release).
 *
 * <p>Why trees over trend features rather than the trend line alone ({@link ExhaustionForecaster}): it learns from
 * recorded failures which shapes end in exhaustion — a GC sawtooth with a rising floor, log rotations that free less
 * than was written — and which only look like it — a spike that recovers, a high but stable disk.
 *
 * <p>Released as {@value #MODEL_NAME} (family {@value #FAMILY}) through {@link ModelReleases}; the release's
 * metadata carries the horizon and the threshold, so a loaded model means what it meant when trained.
 */
public final class FailureForecastModel {

    public static final String MODEL_NAME = "forecast/fails-within";
    public static final String FAMILY = "failure-forecast";
    public static final String FAILS = "FAILS";
    public static final String OK = "OK";
    /** Probability at or above which a series is forecast to fail. */
    public static final double DEFAULT_THRESHOLD = 0.6;
    /**
     * How long the probability must stay at or above the threshold before {@link #forecast} fires, like a
     * Prometheus rule's {@code for}: a spike that recovers within it pages nobody, a 30 minute forecast loses little.
     */
    public static final Duration DEFAULT_CONFIRMATION = Duration.ofMinutes(2);
    static final String THRESHOLD = "threshold";
    static final String CONFIRMATION_SECONDS = "confirmation.seconds";

    private static final LabelFactory LABELS = new LabelFactory();
    private static final int TREES = 10;
    private static final int MAX_DEPTH = 10;
    private static final float MIN_CHILD_WEIGHT = 20f;

    /**
     * One forecast. {@code probability} of an exhaustion within the horizon, in [0,1]; {@code fails} when it reaches
     * the threshold; the version of the model that made it.
     */
    public record Prediction(double probability, boolean fails, String modelVersion) {
    }

    private final Model<Label> model;
    private final ModelRelease release;
    private final Duration horizon;
    private final double threshold;
    private final Duration confirmation;

    private FailureForecastModel(Model<Label> model, ModelRelease release, Duration horizon, double threshold,
            Duration confirmation) {
        this.model = model;
        this.release = release;
        this.horizon = horizon;
        this.threshold = threshold;
        this.confirmation = confirmation;
    }

    /**
     * Trains on rows from {@link ForecastExamples} (their {@code failsWithinHorizon} is the label), seeded.
     *
     * @param dataSource what the rows came from, for the provenance
     */
    public static FailureForecastModel train(List<ForecastExample> rows, Duration horizon, double threshold,
            Duration confirmation, long seed, String dataSource) {
        Objects.requireNonNull(horizon, "horizon");
        if (confirmation.isNegative()) {
            throw new IllegalArgumentException("confirmation must not be negative, got " + confirmation);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be within (0, 1), got " + threshold);
        }
        long failing = rows.stream().filter(ForecastExample::failsWithinHorizon).count();
        if (failing == 0 || failing == rows.size()) {
            throw new IllegalArgumentException("need rows of both classes to train, got " + failing + " failing of "
                    + rows.size() + " (does the training data hold an exhaustion and healthy series?)");
        }
        Releases.quietTribuo();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(dataSource, LABELS), LABELS);
        for (ForecastExample row : rows) {
            data.add(TrendFeatures.DEFAULT.example(new Label(row.failsWithinHorizon() ? FAILS : OK), row.features()));
        }
        // random split points (extremely randomized trees): an order of magnitude faster to train than exhaustive
        // splits, and smoother probabilities
        CARTClassificationTrainer tree = new CARTClassificationTrainer(MAX_DEPTH, MIN_CHILD_WEIGHT, 0f, 0.7f, true,
                new GiniIndex(), seed);
        Model<Label> model = new ExtraTreesTrainer<>(tree, new FullyWeightedVotingCombiner(), TREES, seed)
                .train(data);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Releases.HORIZON_SECONDS, Long.toString(horizon.toSeconds()));
        metadata.put(THRESHOLD, Double.toString(threshold));
        metadata.put(CONFIRMATION_SECONDS, Long.toString(confirmation.toSeconds()));
        metadata.put("training.rows", Integer.toString(rows.size()));
        metadata.put("training.failing", Long.toString(failing));
        ModelRelease release = ModelReleases.of(MODEL_NAME, FAMILY, model, TrendFeatures.NAMES, 0, metadata);
        return new FailureForecastModel(model, release, horizon, threshold, confirmation);
    }

    /** The model a release carries; fails naming the release when it is not a failure forecast of these features. */
    public static FailureForecastModel fromRelease(ModelRelease release) {
        Releases.check(release, FAMILY);
        Releases.quietTribuo();
        Model<?> loaded = ModelReleases.tribuoModel(release);
        if (!loaded.validate(Label.class)) {
            throw new IllegalArgumentException("model " + release.getModelName() + " is not a classifier");
        }
        @SuppressWarnings("unchecked")
        Model<Label> model = (Model<Label>) loaded;
        double threshold = Releases.number(release, THRESHOLD, DEFAULT_THRESHOLD);
        Duration confirmation = Duration.ofSeconds((long) Releases.number(release, CONFIRMATION_SECONDS,
                DEFAULT_CONFIRMATION.toSeconds()));
        return new FailureForecastModel(model, Releases.republished(release, release.getPublishedAtMillis()),
                Releases.horizon(release), threshold, confirmation);
    }

    /** This model as a release published at {@code publishedAtMillis}; the version depends on the model only. */
    public ModelRelease release(long publishedAtMillis) {
        return Releases.republished(release, publishedAtMillis);
    }

    /** The forecast for a feature vector of {@link TrendFeatures#vector}. */
    public Prediction predict(double[] features) {
        org.tribuo.Prediction<Label> prediction = model.predict(TrendFeatures.DEFAULT.example(LABELS.getUnknownOutput(),
                features));
        Label fails = prediction.getOutputScores().get(FAILS);
        double probability = fails == null ? 0 : Math.max(0, Math.min(1, fails.getScore()));
        return new Prediction(probability, probability >= threshold, modelVersion());
    }

    /**
     * The live forecast of a series after its latest point (call after {@link TrendFeatures#update}): the
     * probability of {@link #predict(double[])}, and {@code fails} only once the probability has stayed at or above
     * the threshold for the {@link #confirmation()} time, which it tracks in {@code state.failingSinceMillis}. Before
     * {@link TrendFeatures#ready warm-up} it never fails.
     */
    public Prediction forecast(TrendState state) {
        if (!TrendFeatures.DEFAULT.ready(state)) {
            state.failingSinceMillis = -1;
            return new Prediction(0, false, modelVersion());
        }
        Prediction raw = predict(TrendFeatures.DEFAULT.vector(state));
        if (!raw.fails()) {
            state.failingSinceMillis = -1;
            return raw;
        }
        if (state.failingSinceMillis < 0) {
            state.failingSinceMillis = state.lastMillis;
        }
        boolean confirmed = state.lastMillis - state.failingSinceMillis >= confirmation.toMillis();
        return new Prediction(raw.probability(), confirmed, raw.modelVersion());
    }

    public String modelVersion() {
        return release.getVersion();
    }

    public Duration horizon() {
        return horizon;
    }

    public double threshold() {
        return threshold;
    }

    public Duration confirmation() {
        return confirmation;
    }

    public Model<Label> tribuoModel() {
        return model;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s (horizon %s, threshold %.2f, confirmed for %s)", MODEL_NAME,
                modelVersion(), horizon, threshold, confirmation);
    }
}
