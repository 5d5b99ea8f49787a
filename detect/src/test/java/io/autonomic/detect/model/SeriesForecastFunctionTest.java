package io.autonomic.detect.model;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.LOG_DIR_UTILIZATION;
import static io.autonomic.detect.TestPoints.PAYMENTS;
import static io.autonomic.detect.TestPoints.T0;
import static io.autonomic.detect.model.TestModels.UTILIZATION_STEP_MILLIS;
import static io.autonomic.detect.model.TestModels.fillingDisk;
import static io.autonomic.detect.model.TestModels.record;
import static io.autonomic.detect.model.TestModels.tombstone;
import static io.autonomic.detect.model.TestModels.utilization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.detect.TestPoints;
import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.forecast.ExhaustionScenarios;
import io.autonomic.models.forecast.FailureForecastModel;
import io.autonomic.models.forecast.TimeToExhaustionModel;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The failure forecasts on a keyed broadcast harness, with forecast models trained in the test (seeded, small): a
 * disk filling at 1 % per minute is forecast once before it is full, a healthy one never; models are swapped,
 * withdrawn and rejected through the broadcast side like the anomaly models.
 */
class SeriesForecastFunctionTest {

    private static final Duration STATE_TTL = Duration.ofMinutes(10);
    private static final String DISK = "system.filesystem.utilization";
    /** Calm minutes before the fill: longer than the features' warm-up and their 15 minute window. */
    private static final int CALM_MINUTES = 30;

    private static TestModels.ForecastModels modelsA;
    private static TestModels.ForecastModels modelsB;

    private KeyedBroadcastOperatorTestHarness<String, EnrichedPoint, KafkaRecord, Anomaly> harness;

    @BeforeAll
    static void trainModels() {
        modelsA = TestModels.trainForecast(1);
        modelsB = TestModels.trainForecast(2);
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void open(List<ModelRelease> initial) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new SeriesForecastFunction(initial, STATE_TTL),
                point -> point.getPoint().getSeriesKey(), Types.STRING,
                ResourceModelScoringFunction.RELEASES, ResourceModelScoringFunction.WITHDRAWN);
    }

    private void open() throws Exception {
        open(List.of());
    }

    private void publishBoth(TestModels.ForecastModels models) throws Exception {
        publish(record(models.classifierRelease()));
        publish(record(models.regressionRelease()));
    }

    private void publish(KafkaRecord record) throws Exception {
        harness.processBroadcastElement(record, T0);
    }

    private void feed(List<EnrichedPoint> points) throws Exception {
        for (EnrichedPoint point : points) {
            harness.processElement(point, point.getPoint().getTimestampMillis());
        }
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(DeadLetters.TAG);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    private int keyedStateEntries() {
        var operator = (org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) operator.getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    /** When a series of values every {@link TestModels#UTILIZATION_STEP_MILLIS} from T0 first reaches {@code level}. */
    private static long firstReaching(double[] values, double level) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= level) {
                return T0 + i * UTILIZATION_STEP_MILLIS;
            }
        }
        throw new AssertionError("never reaches " + level);
    }

    private static double minutes(long millis) {
        return millis / 60_000.0;
    }

    @Test
    void diskFillingAtOnePercentPerMinute_isForecastOnce_beforeItIsFull() throws Exception {
        open();
        publishBoth(modelsA);
        double[] disk = fillingDisk(5, CALM_MINUTES, 1.0);
        long nearlyFull = firstReaching(disk, 0.98);

        feed(utilization(CHECKOUT, DISK, T0, disk));

        List<Anomaly> forecasts = harness.extractOutputValues();
        assertThat(forecasts).as("one forecast for the one failing episode").hasSize(1);
        Anomaly forecast = forecasts.get(0);
        double leadMinutes = minutes(nearlyFull - forecast.getTimestampMillis());
        String lead = String.format(Locale.ROOT, "lead time %.1f min before 98 %% (reason: %s)", leadMinutes,
                forecast.getReason());
        System.out.println("1 %/min disk: " + lead);
        assertThat(forecast.getTimestampMillis()).as(lead).isLessThan(nearlyFull);
        assertThat(forecast.getTimestampMillis()).as("not during the calm hour: " + lead)
                .isGreaterThan(T0 + CALM_MINUTES * 60_000L);
        assertThat(forecast.getDetector()).isEqualTo("model:forecast/fails-within");
        assertThat(forecast.getModelVersion()).isEqualTo(modelsA.classifier().modelVersion());
        assertThat(forecast.getSeriesKey()).isEqualTo(TestPoints.seriesKey(CHECKOUT, DISK, java.util.Map.of()));
        assertThat(forecast.getMetric()).isEqualTo(DISK);
        assertThat(forecast.getResource().getId()).isEqualTo(CHECKOUT);
        assertThat(forecast.getContext().getService()).isEqualTo("checkout");
        assertThat(forecast.getScore()).isBetween(FailureForecastModel.DEFAULT_THRESHOLD, 1.0);
        assertThat(forecast.getObserved()).isBetween(0.4, 0.98);
        assertThat(forecast.getExpected()).isEqualTo(1.0);
        assertThat(forecast.getUpper()).isEqualTo(1.0);
        assertThat(forecast.getAttributes())
                .containsEntry(ResourceModelScoringFunction.FAMILY_ATTRIBUTE, FailureForecastModel.FAMILY)
                .containsEntry(SeriesForecastFunction.TIME_TO_EXHAUSTION_VERSION_ATTRIBUTE,
                        modelsA.regression().modelVersion())
                .containsEntry(SeriesForecastFunction.HORIZON_ATTRIBUTE, "1800")
                .containsKey(SeriesForecastFunction.TIME_TO_EXHAUSTION_ATTRIBUTE);
        long secondsLeft = Long.parseLong(forecast.getAttributes()
                .get(SeriesForecastFunction.TIME_TO_EXHAUSTION_ATTRIBUTE));
        assertThat(secondsLeft).isPositive().isLessThanOrEqualTo(TimeToExhaustionModel.MAX_TRAINED.toSeconds());
        assertThat(forecast.getReason()).startsWith(DISK + " ")
                .contains("of capacity, forecast to be exhausted in ~")
                .contains("fails-within " + modelsA.classifier().modelVersion())
                .contains("time-to-exhaustion " + modelsA.regression().modelVersion());
        assertThat(deadLetters()).isEmpty();
    }

    /**
     * The named scenarios no model was trained on ({@code ExhaustionScenarios.all(42)}: disks at 2, 0.5 and 0.1
     * %/min, a memory leak under a GC sawtooth, two healthy disks), one series each, through the live function.
     */
    @Test
    void exhaustionScenarios_areForecastOnceBeforeExhaustion_healthyOnesNever() throws Exception {
        open();
        publishBoth(modelsA);
        List<ExhaustionScenarios.Scenario> scenarios = ExhaustionScenarios.all(42);
        for (int s = 0; s < scenarios.size(); s++) {
            ExhaustionScenarios.Scenario scenario = scenarios.get(s);
            for (int i = 0; i < scenario.utilization().length; i++) {
                EnrichedPoint point = TestPoints.gauge("process:host-3/scenario-" + s, DISK,
                        T0 + i * scenario.stepMillis(), scenario.utilization()[i]);
                harness.processElement(point, point.getPoint().getTimestampMillis());
            }
        }

        List<Anomaly> forecasts = harness.extractOutputValues();
        StringBuilder report = new StringBuilder();
        for (int s = 0; s < scenarios.size(); s++) {
            ExhaustionScenarios.Scenario scenario = scenarios.get(s);
            String resource = "process:host-3/scenario-" + s;
            List<Anomaly> ofScenario = forecasts.stream().filter(a -> a.getResource().getId().equals(resource))
                    .toList();
            if (scenario.exhaustedAtMillis() < 0) {
                report.append(String.format(Locale.ROOT, "%s: %d forecasts%n", scenario.name(), ofScenario.size()));
            } else if (!ofScenario.isEmpty()) {
                long firstAt = ofScenario.get(0).getTimestampMillis();
                report.append(String.format(Locale.ROOT, "%s: %d forecast(s), first %.1f min before exhaustion "
                        + "at %.2f (%s)%n", scenario.name(), ofScenario.size(),
                        minutes(T0 + scenario.exhaustedAtMillis() - firstAt),
                        ofScenario.get(0).getObserved(), ofScenario.get(0).getReason()));
            } else {
                report.append(scenario.name()).append(": MISSED\n");
            }
        }
        System.out.print(report);
        for (int s = 0; s < scenarios.size(); s++) {
            ExhaustionScenarios.Scenario scenario = scenarios.get(s);
            String resource = "process:host-3/scenario-" + s;
            List<Long> times = forecasts.stream().filter(a -> a.getResource().getId().equals(resource))
                    .map(Anomaly::getTimestampMillis).toList();
            if (scenario.exhaustedAtMillis() < 0) {
                assertThat(times).as(scenario.name() + "\n" + report).isEmpty();
            } else {
                assertThat(times).as(scenario.name() + ": one forecast, before exhaustion\n" + report)
                        .singleElement().satisfies(t -> assertThat(t).isLessThan(T0 + scenario.exhaustedAtMillis()));
            }
        }
    }

    @Test
    void healthyFlatNoisyDisk_isNeverForecast() throws Exception {
        open();
        publishBoth(modelsA);

        feed(utilization(CHECKOUT, DISK, T0, TestModels.flatNoisyDisk(6, 180)));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void withoutTheTimeToExhaustionModel_theReasonGivesTheHorizon() throws Exception {
        open(List.of(modelsA.classifierRelease()));

        feed(utilization(CHECKOUT, DISK, T0, fillingDisk(5, CALM_MINUTES, 1.0)));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(forecast -> {
            assertThat(forecast.getModelVersion()).as("from the models directory")
                    .isEqualTo(modelsA.classifier().modelVersion());
            assertThat(forecast.getReason()).contains("forecast to be exhausted within 30 min");
            assertThat(forecast.getAttributes()).doesNotContainKey(
                    SeriesForecastFunction.TIME_TO_EXHAUSTION_ATTRIBUTE);
        });
    }

    @Test
    void seriesThatRecoversAndFillsAgain_isForecastOncePerEpisode() throws Exception {
        open();
        publishBoth(modelsA);
        double[] first = fillingDisk(5, CALM_MINUTES, 1.0);
        double[] second = fillingDisk(7, CALM_MINUTES, 1.0);
        // the first fill is cleaned up at 90 %, the disk then sits at 40 % before filling again
        int cleanup = 0;
        while (first[cleanup] < 0.90) {
            cleanup++;
        }
        double[] both = new double[cleanup + second.length];
        System.arraycopy(first, 0, both, 0, cleanup);
        System.arraycopy(second, 0, both, cleanup, second.length);

        feed(utilization(CHECKOUT, DISK, T0, both));

        long cleanedUp = T0 + cleanup * UTILIZATION_STEP_MILLIS;
        assertThat(harness.extractOutputValues()).extracting(Anomaly::getTimestampMillis)
                .as("one before the cleanup, one in the second fill")
                .satisfiesExactly(t -> assertThat(t).isLessThan(cleanedUp),
                        t -> assertThat(t).isGreaterThan(cleanedUp + CALM_MINUTES * 60_000L));
    }

    @Test
    void newVersion_forecastsLaterEpisodes_withoutRestart() throws Exception {
        open();
        publishBoth(modelsA);
        feed(utilization(CHECKOUT, DISK, T0, fillingDisk(5, CALM_MINUTES, 1.0)));

        publishBoth(modelsB);
        feed(utilization(PAYMENTS, DISK, T0, fillingDisk(8, CALM_MINUTES, 1.0)));

        assertThat(modelsB.classifier().modelVersion()).isNotEqualTo(modelsA.classifier().modelVersion());
        assertThat(harness.extractOutputValues()).extracting(a -> a.getResource().getId(), Anomaly::getModelVersion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CHECKOUT, modelsA.classifier().modelVersion()),
                        org.assertj.core.groups.Tuple.tuple(PAYMENTS, modelsB.classifier().modelVersion()));
        assertThat(harness.extractOutputValues().get(1).getAttributes())
                .containsEntry(SeriesForecastFunction.TIME_TO_EXHAUSTION_VERSION_ATTRIBUTE,
                        modelsB.regression().modelVersion());
    }

    @Test
    void withdrawnForecast_stopsForecasting_andFreesTheSeriesState() throws Exception {
        open(List.of(modelsA.classifierRelease()));
        double[] disk = fillingDisk(5, CALM_MINUTES, 1.0);
        List<EnrichedPoint> points = utilization(CHECKOUT, DISK, T0, disk);
        feed(points.subList(0, CALM_MINUTES * 6));
        assertThat(keyedStateEntries()).isPositive();

        publish(tombstone(FailureForecastModel.MODEL_NAME));
        feed(points.subList(CALM_MINUTES * 6, points.size()));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(keyedStateEntries()).isZero();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void expiredSeriesState_startsTheHistoryAgain() throws Exception {
        double[] disk = fillingDisk(5, CALM_MINUTES, 1.0);
        List<EnrichedPoint> points = utilization(CHECKOUT, DISK, T0, disk);
        open();
        publishBoth(modelsA);
        feed(points);
        long firedAt = harness.extractOutputValues().get(0).getTimestampMillis();
        harness.close();

        // again, but the series is silent for longer than the TTL (in processing time) just before it fired
        open();
        publishBoth(modelsA);
        harness.setStateTtlProcessingTime(0);
        int gapAt = (int) ((firedAt - T0) / UTILIZATION_STEP_MILLIS) - 1;
        feed(points.subList(0, gapAt));
        harness.setStateTtlProcessingTime(STATE_TTL.toMillis() + 1);
        feed(points.subList(gapAt, points.size()));

        long resumed = points.get(gapAt).getPoint().getTimestampMillis();
        assertThat(harness.extractOutputValues()).extracting(Anomaly::getTimestampMillis)
                .as("the expired history is gone: the series warms up again before a forecast")
                .allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(resumed + TrendFeatures.WARM_UP_MILLIS));
    }

    @Test
    void badReleases_becomeDeadLetters_andThePreviousVersionStaysLive() throws Exception {
        open();
        publishBoth(modelsA);
        AvroSerde<ModelRelease> serde = AvroSerde.of(ModelRelease.class);
        ModelRelease garbagePayload = ModelRelease.newBuilder(modelsB.classifierRelease())
                .setPayload(ByteBuffer.wrap(new byte[] {7, 7, 7}))
                .setVersion(io.autonomic.models.release.ModelReleases.versionOf(new byte[] {7, 7, 7}))
                .build();
        ModelRelease anomalyUnderForecastName = ModelRelease.newBuilder(TestModels.release(TestModels.train(
                "HOST_PROCESS", 1))).setModelName("forecast/fails-within").build();

        publish(record(FailureForecastModel.MODEL_NAME, "not avro".getBytes(StandardCharsets.UTF_8)));
        publish(record(garbagePayload));
        publish(record(TimeToExhaustionModel.MODEL_NAME, serde.encode(modelsB.classifierRelease())));
        publish(record(anomalyUnderForecastName));
        publish(record(null, serde.encode(modelsB.classifierRelease())));
        feed(utilization(CHECKOUT, DISK, T0, fillingDisk(5, CALM_MINUTES, 1.0)));

        assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(
                ResourceModelScoringFunction.UNDECODABLE_RELEASE, ResourceModelScoringFunction.UNLOADABLE_MODEL,
                ResourceModelScoringFunction.MODEL_KEY_MISMATCH, SeriesForecastFunction.UNKNOWN_FORECAST_MODEL,
                ResourceModelScoringFunction.MISSING_MODEL_KEY);
        assertThat(deadLetters().get(1).getDetail()).contains(FailureForecastModel.MODEL_NAME)
                .contains("previous version stays live");
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(TestModels.MODELS_TOPIC));
        assertThat(harness.extractOutputValues()).extracting(Anomaly::getModelVersion)
                .containsExactly(modelsA.classifier().modelVersion());
    }

    @Test
    void releasesOfOtherFamilies_areIgnored() throws Exception {
        open();
        ModelRelease anomalyModel = TestModels.release(TestModels.train("HOST_PROCESS", 1));

        publish(record(anomalyModel));
        feed(utilization(CHECKOUT, DISK, T0, fillingDisk(5, CALM_MINUTES, 1.0)));

        assertThat(deadLetters()).isEmpty();
        assertThat(harness.getBroadcastState(ResourceModelScoringFunction.RELEASES)
                .contains(anomalyModel.getModelName())).isFalse();
        assertThat(harness.extractOutputValues()).as("no forecast model is live").isEmpty();
        assertThat(keyedStateEntries()).as("nothing kept while no forecast is live").isZero();
    }

    @Test
    void valuesOutsideZeroToOne_andOtherMetrics_areNotScored() throws Exception {
        open();
        publishBoth(modelsA);
        double[] disk = fillingDisk(5, CALM_MINUTES, 1.0);
        double[] percent = new double[disk.length];
        for (int i = 0; i < disk.length; i++) {
            percent[i] = disk[i] * 100;
        }

        feed(utilization(CHECKOUT, DISK, T0, percent));
        feed(utilization(CHECKOUT, "system.filesystem.usage", T0, disk));
        feed(List.of(TestPoints.gauge(PAYMENTS, DISK, T0, Double.NaN)));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(keyedStateEntries()).isZero();
    }

    @Test
    void utilizationGauges_routesOnlyGaugesOfTheSuffix() throws Exception {
        var gauges = new SeriesForecastFunction(List.of(), STATE_TTL, "pool.utilization").utilizationGauges();

        assertThat(gauges.filter(TestPoints.gauge(CHECKOUT, "db.pool.utilization", T0, 0.5))).isTrue();
        assertThat(gauges.filter(TestPoints.gauge(CHECKOUT, DISK, T0, 0.5))).isFalse();
        assertThat(gauges.filter(TestPoints.counter(CHECKOUT, "db.pool.utilization", T0, 0.5))).isFalse();
        assertThat(SeriesForecastFunction.isForecastRelease(record(modelsA.classifierRelease()))).isTrue();
        assertThat(SeriesForecastFunction.isForecastRelease(tombstone("forecast/time-to-exhaustion"))).isTrue();
        assertThat(SeriesForecastFunction.isForecastRelease(tombstone("anomaly/default"))).isFalse();
        assertThat(SeriesForecastFunction.isForecastRelease(record(null, new byte[] {1}))).isFalse();
    }

    @Test
    void restoredJob_forecastsWithTheModelsAndHistoryItHad() throws Exception {
        List<EnrichedPoint> points = utilization(CHECKOUT, DISK, T0, fillingDisk(5, CALM_MINUTES, 1.0));
        int half = CALM_MINUTES * 6 + 20;
        open();
        publishBoth(modelsB);
        feed(points.subList(0, half));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();

        harness = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new SeriesForecastFunction(List.of(), STATE_TTL),
                List.of(ResourceModelScoringFunction.RELEASES, ResourceModelScoringFunction.WITHDRAWN)),
                point -> point.getPoint().getSeriesKey(), Types.STRING, 1, 1, 0);
        harness.initializeState(checkpoint);
        harness.open();
        feed(points.subList(half, points.size()));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(forecast -> {
            assertThat(forecast.getModelVersion()).isEqualTo(modelsB.classifier().modelVersion());
            assertThat(forecast.getAttributes()).containsEntry(
                    SeriesForecastFunction.TIME_TO_EXHAUSTION_VERSION_ATTRIBUTE, modelsB.regression().modelVersion());
        });
    }

    @Test
    void badInitialModel_failsConstructionNamingIt() {
        ModelRelease mislabeled = ModelRelease.newBuilder(modelsA.classifierRelease()).setVersion("000000000000")
                .build();

        assertThatThrownBy(() -> new SeriesForecastFunction(List.of(mislabeled), STATE_TTL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(FailureForecastModel.MODEL_NAME);
    }
}
