package io.autonomic.models.forecast;

import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.features.TrendState;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.ModelRelease;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;

/**
 * Time to exhaustion of a utilization series (disk, heap or RSS, connection pool): a Tribuo regression, an averaged
 * ensemble of extremely randomized CART regression trees over the {@link TrendFeatures}, predicting log10 of the
 * seconds left. Log scale because an error of 5 minutes matters when 10 are left and not when hours are.
 *
 * <p>Trained only on points that were followed by an exhaustion within {@link #MAX_TRAINED}, so it answers "how long
 * until full, given it is filling": ask it when {@link FailureForecastModel} fires or the trend rises, not of a flat
 * series. Released as {@value #MODEL_NAME} (family {@value #FAMILY}).
 */
public final class TimeToExhaustionModel {

    public static final String MODEL_NAME = "forecast/time-to-exhaustion";
    public static final String FAMILY = "exhaustion-regression";
    /** The regression's output dimension. */
    public static final String TARGET = "log10_seconds";
    /** Points further from exhaustion than this are not trained on. */
    public static final Duration MAX_TRAINED = Duration.ofHours(6);

    private static final RegressionFactory REGRESSORS = new RegressionFactory();
    private static final int TREES = 10;
    private static final int MAX_DEPTH = 10;
    private static final float MIN_CHILD_WEIGHT = 10f;

    /** One estimate: the time left and the version of the model that made it. */
    public record Estimate(Duration timeToExhaustion, String modelVersion) {
    }

    private final Model<Regressor> model;
    private final ModelRelease release;

    private TimeToExhaustionModel(Model<Regressor> model, ModelRelease release) {
        this.model = model;
        this.release = release;
    }

    /** Trains, seeded, on the rows of {@link ForecastExamples} that an exhaustion followed within MAX_TRAINED. */
    public static TimeToExhaustionModel train(List<ForecastExample> rows, Duration horizon, long seed,
            String dataSource) {
        List<ForecastExample> usable = rows.stream().filter(TimeToExhaustionModel::trainable).toList();
        if (usable.size() < 10) {
            throw new IllegalArgumentException("need at least 10 rows followed by an exhaustion to train the time to "
                    + "exhaustion, got " + usable.size() + " (does the training data hold an exhaustion?)");
        }
        Releases.quietTribuo();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance(dataSource, REGRESSORS),
                REGRESSORS);
        for (ForecastExample row : usable) {
            data.add(TrendFeatures.DEFAULT.example(new Regressor(TARGET, target(row.secondsToExhaustion())),
                    row.features()));
        }
        CARTRegressionTrainer tree = new CARTRegressionTrainer(MAX_DEPTH, MIN_CHILD_WEIGHT, 0f, 0.7f, true,
                new MeanSquaredError(), seed);
        Model<Regressor> model = new ExtraTreesTrainer<>(tree, new AveragingCombiner(), TREES, seed).train(data);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Releases.HORIZON_SECONDS, Long.toString(horizon.toSeconds()));
        metadata.put("target", TARGET);
        metadata.put("training.rows", Integer.toString(usable.size()));
        return new TimeToExhaustionModel(model,
                ModelReleases.of(MODEL_NAME, FAMILY, model, TrendFeatures.NAMES, 0, metadata));
    }

    static boolean trainable(ForecastExample row) {
        return Double.isFinite(row.secondsToExhaustion()) && row.secondsToExhaustion() > 0
                && row.secondsToExhaustion() <= MAX_TRAINED.toSeconds();
    }

    /** The regression target of a time left: log10 of at least one second. */
    static double target(double seconds) {
        return Math.log10(Math.max(1, seconds));
    }

    /** The model a release carries; fails naming the release when it is not this family of these features. */
    public static TimeToExhaustionModel fromRelease(ModelRelease release) {
        Releases.check(release, FAMILY);
        Releases.quietTribuo();
        Model<?> loaded = ModelReleases.tribuoModel(release);
        if (!loaded.validate(Regressor.class)) {
            throw new IllegalArgumentException("model " + release.getModelName() + " is not a regression");
        }
        @SuppressWarnings("unchecked")
        Model<Regressor> model = (Model<Regressor>) loaded;
        return new TimeToExhaustionModel(model, Releases.republished(release, release.getPublishedAtMillis()));
    }

    public ModelRelease release(long publishedAtMillis) {
        return Releases.republished(release, publishedAtMillis);
    }

    /** The time left for a feature vector of {@link TrendFeatures#vector}. */
    public Estimate predict(double[] features) {
        Regressor output = model.predict(TrendFeatures.DEFAULT.example(REGRESSORS.getUnknownOutput(), features))
                .getOutput();
        double seconds = Math.pow(10, output.getValues()[0]);
        long millis = (long) Math.min(MAX_TRAINED.toMillis(), Math.max(0, seconds * 1000));
        return new Estimate(Duration.ofMillis(millis), modelVersion());
    }

    /** The time left for a series' state. */
    public Estimate predict(TrendState state) {
        return predict(TrendFeatures.DEFAULT.vector(state));
    }

    public String modelVersion() {
        return release.getVersion();
    }

    public Model<Regressor> tribuoModel() {
        return model;
    }

    @Override
    public String toString() {
        return MODEL_NAME + " " + modelVersion();
    }
}
