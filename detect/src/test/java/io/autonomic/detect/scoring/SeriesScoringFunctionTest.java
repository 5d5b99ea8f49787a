package io.autonomic.detect.scoring;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.ERROR_RATIO;
import static io.autonomic.detect.TestPoints.LATENCY;
import static io.autonomic.detect.TestPoints.LOG_DIR_UTILIZATION;
import static io.autonomic.detect.TestPoints.REQUEST_COUNT;
import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.TestPoints.counter;
import static io.autonomic.detect.TestPoints.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.DetectorSettings;
import io.autonomic.detect.config.IncidentSettings;
import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SeriesScoringFunctionTest {

    private static final Map<String, String> LOG_DIR = Map.of("log.dir", "/var/log/checkout");

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedPoint, ScoredPoint> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private void start(DetectConfig config, Duration ttl) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new SeriesScoringFunction(config, ttl),
                p -> p.getPoint().getSeriesKey(), Types.STRING);
    }

    private static DetectConfig rulesOnly() {
        return new DetectConfig(DetectConfig.defaults().rules(), List.of(), IncidentSettings.DEFAULTS,
                new DetectorSettings(false, 30, 6, 0.1, 0.05, 0.01, 0.05, 0.1));
    }

    private void send(EnrichedPoint point) throws Exception {
        harness.processElement(point, point.getPoint().getTimestampMillis());
    }

    private List<Anomaly> sideAnomalies() {
        var queue = harness.getSideOutput(SeriesScoringFunction.ANOMALIES);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    @Test
    void processElement_ruleWithFor_firesOnlyOnceTheConditionHeldLongEnough() throws Exception {
        start(rulesOnly(), Duration.ofHours(1));
        send(gauge(CHECKOUT, ERROR_RATIO, at(0), 0.0));
        send(gauge(CHECKOUT, ERROR_RATIO, at(1), 0.9));
        send(gauge(CHECKOUT, ERROR_RATIO, at(2), 1.0));
        send(gauge(CHECKOUT, ERROR_RATIO, at(3), 1.0));
        send(gauge(CHECKOUT, ERROR_RATIO, at(3.999), 1.0));
        assertThat(sideAnomalies()).as("held 2.999s of the required 3s").isEmpty();

        send(gauge(CHECKOUT, ERROR_RATIO, at(4), 1.0));
        send(gauge(CHECKOUT, ERROR_RATIO, at(5), 1.0));

        List<Anomaly> anomalies = sideAnomalies();
        assertThat(anomalies).extracting(Anomaly::getTimestampMillis).containsExactly(at(4), at(5));
        Anomaly first = anomalies.get(0);
        assertThat(first.getDetector()).isEqualTo("rule:high-error-ratio");
        assertThat(first.getMetric()).isEqualTo(ERROR_RATIO);
        assertThat(first.getResource().getId()).isEqualTo(CHECKOUT);
        assertThat(first.getObserved()).isEqualTo(1.0);
        assertThat(first.getExpected()).isEqualTo(0.2);
        assertThat(first.getUpper()).isEqualTo(0.2);
        assertThat(first.getLower()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(first.getScore()).isBetween(0.5, 1.0);
        assertThat(first.getAttributes()).containsEntry(Anomalies.INCIDENT_TYPE_ATTRIBUTE, "http-5xx")
                .containsEntry(Anomalies.RULE_ATTRIBUTE, "high-error-ratio");
        assertThat(first.getReason()).contains("above 0.2 for 3s").contains("incidentType=http-5xx");
        assertThat(first.getAnomalyId()).isEqualTo(
                Anomalies.anomalyId(first.getSeriesKey(), at(4), "rule:high-error-ratio"));
    }

    @Test
    void processElement_conditionInterrupted_restartsTheHoldPeriod() throws Exception {
        start(rulesOnly(), Duration.ofHours(1));
        send(gauge(CHECKOUT, ERROR_RATIO, at(0), 0.9));
        send(gauge(CHECKOUT, ERROR_RATIO, at(2), 0.9));
        send(gauge(CHECKOUT, ERROR_RATIO, at(3), 0.1));
        send(gauge(CHECKOUT, ERROR_RATIO, at(4), 0.9));
        send(gauge(CHECKOUT, ERROR_RATIO, at(6), 0.9));
        assertThat(sideAnomalies()).isEmpty();

        send(gauge(CHECKOUT, ERROR_RATIO, at(7), 0.9));

        assertThat(sideAnomalies()).extracting(Anomaly::getTimestampMillis).containsExactly(at(7));
    }

    @Test
    void processElement_ruleAttributes_copyThePointAttributesWithoutChangingThem() throws Exception {
        start(rulesOnly(), Duration.ofHours(1));
        EnrichedPoint first = gauge(CHECKOUT, LOG_DIR_UTILIZATION, LOG_DIR, at(0), 0.95);
        send(first);
        send(gauge(CHECKOUT, LOG_DIR_UTILIZATION, LOG_DIR, at(2), 0.97));

        Anomaly anomaly = sideAnomalies().get(0);
        assertThat(anomaly.getAttributes()).containsEntry("log.dir", "/var/log/checkout")
                .containsEntry(Anomalies.INCIDENT_TYPE_ATTRIBUTE, "disk-pressure");
        assertThat(first.getPoint().getAttributes()).containsOnlyKeys("log.dir");
        assertThat(harness.extractOutputValues().get(1).point.getPoint().getAttributes()).containsOnlyKeys("log.dir");
    }

    @Test
    void processElement_matchFilter_restrictsTheRuleToMatchingSeries() throws Exception {
        DetectConfig config = new DetectConfig(List.of(new ThresholdRule("checkout-route-errors", ERROR_RATIO, 0.2,
                null, Duration.ZERO, "http-5xx", Map.of("http.route", "/checkout"))), List.of(),
                IncidentSettings.DEFAULTS, rulesOnly().detector());
        start(config, Duration.ofHours(1));

        send(gauge(CHECKOUT, ERROR_RATIO, Map.of("http.route", "/health"), at(0), 1.0));
        send(gauge(CHECKOUT, ERROR_RATIO, Map.of("http.route", "/checkout"), at(0), 1.0));

        assertThat(sideAnomalies()).extracting(a -> a.getAttributes().get("http.route")).containsExactly("/checkout");
    }

    @Test
    void processElement_everyPoint_passesThroughWithItsAnomalies() throws Exception {
        start(DetectConfig.defaults(), Duration.ofHours(1));
        Random random = new Random(3);
        int points = 0;
        for (int i = 0; i < 50; i++) {
            send(gauge(CHECKOUT, LATENCY, at(i), 0.020 + 0.002 * random.nextGaussian()));
            send(gauge(CHECKOUT, ERROR_RATIO, at(i), 0.0));
            points += 2;
        }
        send(gauge(CHECKOUT, LATENCY, at(50), 2.5));
        points++;

        List<ScoredPoint> output = harness.extractOutputValues();
        assertThat(output).hasSize(points);
        assertThat(output.subList(0, points - 1)).allMatch(p -> p.anomalies.isEmpty());
        ScoredPoint last = output.get(points - 1);
        assertThat(last.anomalies).singleElement().satisfies(a -> {
            assertThat(a.getDetector()).isEqualTo(Anomalies.EWMA_DETECTOR);
            assertThat(a.getObserved()).isEqualTo(2.5);
            assertThat(a.getScore()).isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(a.getUpper()).isLessThan(2.5);
            assertThat(a.getAttributes()).doesNotContainKey(Anomalies.INCIDENT_TYPE_ATTRIBUTE);
        });
        assertThat(sideAnomalies()).containsExactlyElementsOf(last.anomalies);
    }

    @Test
    void processElement_learnedDetector_staysQuietDuringWarmup() throws Exception {
        start(DetectConfig.defaults(), Duration.ofHours(1));
        for (int i = 0; i < 29; i++) {
            send(gauge(CHECKOUT, LATENCY, at(i), i % 2 == 0 ? 0.02 : 5.0));
        }
        assertThat(sideAnomalies()).isEmpty();
        for (int i = 29; i < 60; i++) {
            send(gauge(CHECKOUT, LATENCY, at(i), 0.02));
        }
        send(gauge(CHECKOUT, LATENCY, at(60), 50.0));

        assertThat(sideAnomalies()).extracting(Anomaly::getTimestampMillis).contains(at(60));
    }

    @Test
    void processElement_irregularGaps_neitherAlarmNorHideASpike() throws Exception {
        start(DetectConfig.defaults(), Duration.ofHours(1));
        Random random = new Random(9);
        double seconds = 0;
        for (int i = 0; i < 200; i++) {
            seconds += i % 17 == 0 ? 600 : 0.2 + 3 * random.nextDouble();
            send(gauge(CHECKOUT, LATENCY, at(seconds), 0.5 + 0.05 * random.nextGaussian()));
            send(counter(CHECKOUT, REQUEST_COUNT, at(seconds), 10 * seconds));
        }
        assertThat(sideAnomalies()).as("constant rate and stable gauge despite gaps up to 10 minutes").isEmpty();

        seconds += 1_200;
        send(gauge(CHECKOUT, LATENCY, at(seconds), 5.0));

        assertThat(sideAnomalies()).extracting(Anomaly::getMetric).containsExactly(LATENCY);
    }

    @Test
    void processElement_cumulativeCounter_isScoredAsRateAndResetIsIgnored() throws Exception {
        start(DetectConfig.defaults(), Duration.ofHours(1));
        double total = 0;
        for (int i = 0; i < 50; i++) {
            total += 10;
            send(counter(CHECKOUT, REQUEST_COUNT, at(i), total));
        }
        send(counter(CHECKOUT, REQUEST_COUNT, at(50), 3));
        send(counter(CHECKOUT, REQUEST_COUNT, at(51), 13));
        assertThat(sideAnomalies()).as("restart resets the counter: not an anomaly").isEmpty();

        send(counter(CHECKOUT, REQUEST_COUNT, at(52), 1_013));

        assertThat(sideAnomalies()).singleElement().satisfies(a -> {
            assertThat(a.getObserved()).isEqualTo(1_000.0);
            assertThat(a.getExpected()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(0.5));
            assertThat(a.getReason()).contains("rate/s");
        });
    }

    @Test
    void processElement_nonFiniteValue_passesThroughUnscored() throws Exception {
        start(DetectConfig.defaults(), Duration.ofHours(1));
        send(gauge(CHECKOUT, ERROR_RATIO, at(0), Double.NaN));
        send(gauge(CHECKOUT, ERROR_RATIO, at(1), Double.POSITIVE_INFINITY));

        assertThat(harness.extractOutputValues()).hasSize(2).allMatch(p -> p.anomalies.isEmpty());
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void open_stateHasTheConfiguredTtl_andExpiredSeriesWarmUpAgain() throws Exception {
        SeriesScoringFunction function = new SeriesScoringFunction(DetectConfig.defaults(), Duration.ofMinutes(10));
        assertThat(function.stateTtlConfig().isEnabled()).isTrue();
        assertThat(function.stateTtlConfig().getTimeToLive()).isEqualTo(Duration.ofMinutes(10));
        assertThat(new SeriesScoringFunction(DetectConfig.defaults()).stateTtlConfig().getTimeToLive())
                .isEqualTo(SeriesScoringFunction.DEFAULT_STATE_TTL);

        start(DetectConfig.defaults(), Duration.ofMinutes(10));
        harness.setStateTtlProcessingTime(0);
        for (int i = 0; i < 40; i++) {
            send(gauge(CHECKOUT, LATENCY, at(i), 0.02));
        }
        send(gauge(CHECKOUT, ERROR_RATIO, at(40), 0.9));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

        harness.setStateTtlProcessingTime(Duration.ofMinutes(10).toMillis() + 1);
        send(gauge(CHECKOUT, LATENCY, at(700), 50.0));
        send(gauge(CHECKOUT, ERROR_RATIO, at(701), 0.9));
        send(gauge(CHECKOUT, ERROR_RATIO, at(703), 0.9));

        assertThat(sideAnomalies()).as("expired baseline and rule state start over").isEmpty();
    }

    @Test
    void processElement_shallowShift_isReportedByTheLevelShiftDetectorWithBandAndScore() throws Exception {
        DetectorSettings sensitive = DetectConfig.parse("detector:\n  seasonalBuckets: 0\n  levelShiftThreshold: 4\n",
                "test").detector();
        start(new DetectConfig(List.of(), List.of(), IncidentSettings.DEFAULTS, sensitive), Duration.ofHours(1));
        Random random = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            double shift = i >= 600 ? 4 : 0;
            send(gauge(CHECKOUT, LATENCY, at(i), 10 + shift + random.nextGaussian()));
        }

        List<Anomaly> anomalies = sideAnomalies();
        assertThat(anomalies).isNotEmpty().allSatisfy(a -> {
            assertThat(a.getTimestampMillis()).isBetween(at(600), at(640));
            assertThat(a.getScore()).isBetween(0.0, 1.0);
            assertThat(a.getLower()).isLessThan(a.getExpected());
            assertThat(a.getUpper()).isGreaterThan(a.getExpected());
        });
        assertThat(anomalies).extracting(Anomaly::getDetector).contains(Anomalies.LEVEL_SHIFT_DETECTOR);
        assertThat(anomalies).filteredOn(a -> a.getDetector().equals(Anomalies.LEVEL_SHIFT_DETECTOR))
                .allSatisfy(a -> assertThat(a.getReason()).contains("shifted").contains("level-shift"));
        assertThat(harness.numKeyedStateEntries()).as("one baseline for the series").isEqualTo(1);
    }

    @Test
    void anomalyIds_areDeterministicAcrossRuns() throws Exception {
        List<String> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            start(rulesOnly(), Duration.ofHours(1));
            send(gauge(CHECKOUT, ERROR_RATIO, at(0), 0.9));
            send(gauge(CHECKOUT, ERROR_RATIO, at(3), 0.9));
            runs.add(sideAnomalies().get(0).getAnomalyId());
            harness.close();
            harness = null;
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1));
    }
}
