package io.autonomic.detect.model;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.LATENCY;
import static io.autonomic.detect.TestPoints.PAYMENTS;
import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.model.TestModels.healthySnapshot;
import static io.autonomic.detect.model.TestModels.record;
import static io.autonomic.detect.model.TestModels.release;
import static io.autonomic.detect.model.TestModels.tombstone;
import static io.autonomic.detect.model.TestModels.wedgedSnapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.models.anomaly.ResourceAnomalyModel;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResourceModelScoringFunctionTest {

    private static final String PROCESS_MODEL = "anomaly/HOST_PROCESS";
    private static final String DEFAULT_MODEL = "anomaly/default";

    private static ModelRelease versionA;
    private static ModelRelease versionB;
    private static ModelRelease defaultModel;

    private KeyedBroadcastOperatorTestHarness<String, EnrichedPoint, KafkaRecord, Anomaly> harness;

    @BeforeAll
    static void trainModels() {
        versionA = release(TestModels.train("HOST_PROCESS", 1));
        versionB = release(TestModels.train("HOST_PROCESS", 2));
        defaultModel = release(TestModels.train("default", 3));
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static ResourceModelScoringFunction function(List<ModelRelease> initial, Duration scoreInterval) {
        return new ResourceModelScoringFunction(LiveModelRegistry.defaults(), initial, Duration.ofMinutes(10),
                scoreInterval, Duration.ofMinutes(1));
    }

    private void open(ResourceModelScoringFunction function) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function,
                point -> point.getPoint().getResource().getId(), Types.STRING,
                ResourceModelScoringFunction.RELEASES, ResourceModelScoringFunction.WITHDRAWN);
    }

    private void open() throws Exception {
        open(function(List.of(), Duration.ZERO));
    }

    private void feed(List<EnrichedPoint> points) throws Exception {
        for (EnrichedPoint point : points) {
            harness.processElement(point, point.getPoint().getTimestampMillis());
        }
    }

    private void publish(KafkaRecord record) throws Exception {
        harness.processBroadcastElement(record, at(0));
    }

    private int keyedStateEntries() {
        var operator = (org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) operator.getKeyedStateBackend())
                .numKeyValueStateEntries();
    }

    private List<DeadLetter> deadLetters() {
        var side = harness.getSideOutput(DeadLetters.TAG);
        return side == null ? List.of() : side.stream().map(StreamRecord::getValue).toList();
    }

    @Test
    void wedgedSnapshot_isScoredWhenTheNextScrapeBegins_andNamesModelAndVersion() throws Exception {
        open();
        publish(record(versionA));
        for (int s = 0; s < 5; s++) {
            feed(healthySnapshot(CHECKOUT, at(s)));
        }
        feed(wedgedSnapshot(CHECKOUT, at(5)));
        assertThat(harness.extractOutputValues()).as("the wedged snapshot is judged once complete").isEmpty();

        feed(healthySnapshot(CHECKOUT, at(6)));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(anomaly -> {
            assertThat(anomaly.getDetector()).isEqualTo("model:" + PROCESS_MODEL);
            assertThat(anomaly.getModelVersion()).isEqualTo(versionA.getVersion());
            assertThat(anomaly.getResource().getId()).isEqualTo(CHECKOUT);
            assertThat(anomaly.getTimestampMillis()).isEqualTo(at(5));
            assertThat(anomaly.getMetric()).as("the signal furthest from training").isEqualTo(LATENCY);
            assertThat(anomaly.getSeriesKey()).isEqualTo(CHECKOUT + "|model:" + PROCESS_MODEL);
            assertThat(anomaly.getObserved()).as("SVM decision value").isNegative();
            assertThat(anomaly.getExpected()).isZero();
            assertThat(anomaly.getLower()).isZero();
            assertThat(anomaly.getUpper()).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(anomaly.getScore()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(anomaly.getReason()).contains(PROCESS_MODEL).contains(versionA.getVersion())
                    .contains(LATENCY + "=0.5000");
            assertThat(anomaly.getAttributes()).containsEntry(ResourceModelScoringFunction.FAMILY_ATTRIBUTE,
                    "anomaly");
            assertThat(anomaly.getContext().getService()).isEqualTo("checkout");
        });
    }

    @Test
    void healthySnapshots_raiseNothing() throws Exception {
        open();
        publish(record(versionA));
        for (int s = 0; s < 30; s++) {
            feed(healthySnapshot(CHECKOUT, at(s)));
        }

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void newVersion_replacesTheLiveOneWithoutRestart() throws Exception {
        open();
        publish(record(versionA));
        feed(wedgedSnapshot(CHECKOUT, at(0)));
        feed(wedgedSnapshot(CHECKOUT, at(1)));

        publish(record(versionB));
        feed(wedgedSnapshot(CHECKOUT, at(2)));

        assertThat(versionB.getVersion()).isNotEqualTo(versionA.getVersion());
        assertThat(harness.extractOutputValues()).extracting(Anomaly::getModelVersion)
                .containsExactly(versionA.getVersion(), versionB.getVersion());
    }

    @Test
    void tombstone_withdrawsTheModel_evenOneGivenAtStart() throws Exception {
        open(function(List.of(versionA), Duration.ZERO));
        feed(wedgedSnapshot(CHECKOUT, at(0)));
        feed(wedgedSnapshot(CHECKOUT, at(1)));
        assertThat(harness.extractOutputValues()).extracting(Anomaly::getModelVersion)
                .containsExactly(versionA.getVersion());

        publish(tombstone(PROCESS_MODEL));
        feed(wedgedSnapshot(CHECKOUT, at(2)));
        feed(wedgedSnapshot(CHECKOUT, at(3)));

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.getBroadcastState(ResourceModelScoringFunction.RELEASES).contains(PROCESS_MODEL))
                .isFalse();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void badReleases_becomeDeadLetters_andThePreviousVersionStaysLive() throws Exception {
        open();
        publish(record(versionA));
        ModelRelease garbagePayload = ModelRelease.newBuilder(versionB)
                .setPayload(ByteBuffer.wrap(new byte[] {7, 7, 7}))
                .setVersion(io.autonomic.models.release.ModelReleases.versionOf(new byte[] {7, 7, 7}))
                .build();

        publish(record(PROCESS_MODEL, "not avro".getBytes(StandardCharsets.UTF_8)));
        publish(record(garbagePayload));
        publish(record("anomaly/K8S_POD", io.autonomic.schemas.AvroSerde.of(ModelRelease.class).encode(versionB)));
        publish(record(null, io.autonomic.schemas.AvroSerde.of(ModelRelease.class).encode(versionB)));
        feed(wedgedSnapshot(CHECKOUT, at(0)));
        feed(wedgedSnapshot(CHECKOUT, at(1)));

        assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(
                ResourceModelScoringFunction.UNDECODABLE_RELEASE, ResourceModelScoringFunction.UNLOADABLE_MODEL,
                ResourceModelScoringFunction.MODEL_KEY_MISMATCH, ResourceModelScoringFunction.MISSING_MODEL_KEY);
        assertThat(deadLetters().get(1).getDetail()).contains(PROCESS_MODEL).contains("does not deserialize")
                .contains("previous version stays live");
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.getSourceTopic()).isEqualTo(TestModels.MODELS_TOPIC));
        assertThat(harness.extractOutputValues()).extracting(Anomaly::getModelVersion)
                .containsExactly(versionA.getVersion());
    }

    @Test
    void kindWithoutItsOwnModel_fallsBackToTheDefaultModel() throws Exception {
        open();
        publish(record(versionA));
        publish(record(defaultModel));

        feed(TestModels.ofKind(wedgedSnapshot(PAYMENTS, at(0)), ResourceKind.K8S_POD));
        feed(TestModels.ofKind(wedgedSnapshot(PAYMENTS, at(1)), ResourceKind.K8S_POD));
        feed(wedgedSnapshot(CHECKOUT, at(0)));
        feed(wedgedSnapshot(CHECKOUT, at(1)));

        assertThat(harness.extractOutputValues()).extracting(Anomaly::getDetector, Anomaly::getModelVersion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("model:" + DEFAULT_MODEL, defaultModel.getVersion()),
                        org.assertj.core.groups.Tuple.tuple("model:" + PROCESS_MODEL, versionA.getVersion()));
    }

    @Test
    void releaseOfAnotherFamily_isIgnoredWithoutDeadLetter() throws Exception {
        open();
        ModelRelease forecast = ModelRelease.newBuilder(versionA).setModelName("forecast/fails-within")
                .setFamily("failure-forecast").build();

        publish(record(forecast));

        assertThat(deadLetters()).isEmpty();
        assertThat(harness.getBroadcastState(ResourceModelScoringFunction.RELEASES).contains("forecast/fails-within"))
                .isFalse();
    }

    @Test
    void scoreInterval_limitsScoringToOncePerIntervalOfEventTime() throws Exception {
        open(function(List.of(), Duration.ofSeconds(5)));
        publish(record(versionA));

        for (int s = 0; s <= 20; s++) {
            feed(wedgedSnapshot(CHECKOUT, at(s)));
        }

        assertThat(harness.extractOutputValues()).extracting(Anomaly::getTimestampMillis)
                .containsExactly(at(0), at(5), at(10), at(15));
    }

    @Test
    void metricsNoModelReads_areNotKeptInState() throws Exception {
        open();
        publish(record(versionA));

        feed(List.of(io.autonomic.detect.TestPoints.gauge(CHECKOUT, "jvm.thread.count", at(0), 40)));

        assertThat(keyedStateEntries()).isZero();
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void expiredResourceState_isNotScored() throws Exception {
        open();
        publish(record(versionA));
        harness.setStateTtlProcessingTime(0);
        feed(wedgedSnapshot(CHECKOUT, at(0)));

        harness.setStateTtlProcessingTime(Duration.ofMinutes(11).toMillis());
        feed(healthySnapshot(CHECKOUT, at(1)));

        assertThat(harness.extractOutputValues()).as("the wedged readings expired before they were scored")
                .isEmpty();
    }

    @Test
    void restoredJob_hasTheModelsItHad() throws Exception {
        open();
        publish(record(versionB));
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();

        ResourceModelScoringFunction function = function(List.of(), Duration.ZERO);
        harness = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(function,
                List.of(ResourceModelScoringFunction.RELEASES, ResourceModelScoringFunction.WITHDRAWN)),
                point -> point.getPoint().getResource().getId(), Types.STRING, 1, 1, 0);
        harness.initializeState(checkpoint);
        harness.open();
        feed(wedgedSnapshot(CHECKOUT, at(0)));
        feed(wedgedSnapshot(CHECKOUT, at(1)));

        assertThat(harness.extractOutputValues()).extracting(Anomaly::getModelVersion)
                .containsExactly(versionB.getVersion());
    }

    @Test
    void badInitialModel_failsConstructionNamingIt() {
        ModelRelease mislabeled = ModelRelease.newBuilder(versionA).setVersion("000000000000").build();

        assertThatThrownBy(() -> function(List.of(mislabeled), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PROCESS_MODEL);
    }

    @Test
    void cumulativeCounters_areReadAsPerSecondRates() throws Exception {
        ResourceAnomalyModel requests = ResourceAnomalyModel.train("HOST_PROCESS",
                io.autonomic.models.features.FeatureExtractor.of(List.of("http.server.request.count")),
                java.util.stream.IntStream.range(0, 100).mapToObj(i -> java.util.Map.of(
                        "http.server.request.count", 10.0 + (i % 5))).toList(), 0.01, 0.1, "rates");
        open();
        publish(record(release(requests)));

        // a steady 12 requests/s, then 400/s: only the burst's rate is outside the learned 10..14/s
        double total = 0;
        for (int s = 0; s < 6; s++) {
            total += s < 4 ? 12 : 400;
            feed(List.of(io.autonomic.detect.TestPoints.counter(CHECKOUT, "http.server.request.count", at(s),
                    total)));
        }

        assertThat(harness.extractOutputValues()).extracting(Anomaly::getTimestampMillis).containsExactly(at(4));
        assertThat(harness.extractOutputValues().get(0).getReason()).contains("http.server.request.count=400.0");
    }
}
