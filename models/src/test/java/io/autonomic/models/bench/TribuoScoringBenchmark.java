package io.autonomic.models.bench;

import io.autonomic.models.anomaly.ResourceAnomalyModel;
import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.features.TrendState;
import io.autonomic.models.forecast.ExhaustionScenarios;
import io.autonomic.models.forecast.FailureForecastModel;
import io.autonomic.models.forecast.ForecastExample;
import io.autonomic.models.forecast.ForecastExamples;
import io.autonomic.models.forecast.LabeledSeries;
import io.autonomic.models.forecast.TimeToExhaustionModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Cost per prediction, including building the example with {@link FeatureExtractor} from a signal map as live
 * scoring would: the one-class SVM of {@link ResourceAnomalyModel} (1,000 training rows, 4 signals) and a 10-tree
 * random forest classifier ("fails within the horizon" shaped: 2 classes, 4 signals, 2,000 rows); and the failure
 * forecasts as live scoring runs them per point: {@link TrendFeatures} update, then the feature vector and the
 * {@link FailureForecastModel} (10 extremely randomized trees) or the {@link TimeToExhaustionModel}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TribuoScoringBenchmark {

    private static final List<String> SIGNALS = List.of("cpu", "memory", "latency_ms", "error_ratio");
    private static final FeatureExtractor FEATURES = FeatureExtractor.of(SIGNALS);
    private static final LabelFactory LABELS = new LabelFactory();

    private ResourceAnomalyModel svm;
    private Model<Label> forest;
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private int next;
    private FailureForecastModel failureForecast;
    private TimeToExhaustionModel timeToExhaustion;
    private final TrendState trend = new TrendState();
    private long trendMillis;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(7);
        for (int i = 0; i < 2048; i++) {
            rows.add(Map.of("cpu", random.nextDouble(), "memory", random.nextDouble(),
                    "latency_ms", 50 + 20 * random.nextGaussian(),
                    "error_ratio", Math.abs(0.01 * random.nextGaussian())));
        }
        svm = ResourceAnomalyModel.train("HOST_PROCESS", FEATURES, rows.subList(0, 1000), 0.01, 0.1, "synthetic");
        MutableDataset<Label> data =
                new MutableDataset<>(new SimpleDataSourceProvenance("synthetic", LABELS), LABELS);
        for (Map<String, Double> row : rows) {
            boolean fails = row.get("memory") > 0.8 && row.get("cpu") > 0.5;
            data.add(FEATURES.example(new Label(fails ? "fails" : "ok"), row));
        }
        CARTClassificationTrainer tree = new CARTClassificationTrainer(Integer.MAX_VALUE, 0.5f, false, 1L);
        forest = new RandomForestTrainer<>(tree, new VotingCombiner(), 10, 1L).train(data);
        Duration horizon = Duration.ofMinutes(30);
        List<ForecastExample> forecastRows = ForecastExamples.of(ExhaustionScenarios.trainingSet(1, 30).stream()
                .map(LabeledSeries::of).toList(), horizon);
        failureForecast = FailureForecastModel.train(forecastRows, horizon, FailureForecastModel.DEFAULT_THRESHOLD,
                FailureForecastModel.DEFAULT_CONFIRMATION, 1L, "synthetic");
        timeToExhaustion = TimeToExhaustionModel.train(forecastRows, horizon, 1L, "synthetic");
        for (int i = 0; i < 200; i++) {
            nextTrendPoint();
        }
    }

    private void nextTrendPoint() {
        trendMillis += 10_000;
        next = (next + 1) & 2047;
        TrendFeatures.DEFAULT.update(trend, trendMillis, 0.5 * rows.get(next).get("memory"));
    }

    @Benchmark
    public double[] trendFeaturesUpdateAndVector() {
        nextTrendPoint();
        return TrendFeatures.DEFAULT.vector(trend);
    }

    @Benchmark
    public FailureForecastModel.Prediction failureForecastPerPoint() {
        nextTrendPoint();
        return failureForecast.forecast(trend);
    }

    @Benchmark
    public TimeToExhaustionModel.Estimate timeToExhaustionPerPoint() {
        nextTrendPoint();
        return timeToExhaustion.predict(trend);
    }

    @Benchmark
    public ResourceAnomalyModel.Scored oneClassSvm() {
        next = (next + 1) & 2047;
        return svm.score(rows.get(next));
    }

    @Benchmark
    public Prediction<Label> randomForest10Trees() {
        next = (next + 1) & 2047;
        return forest.predict(FEATURES.example(LABELS.getUnknownOutput(), rows.get(next)));
    }
}
