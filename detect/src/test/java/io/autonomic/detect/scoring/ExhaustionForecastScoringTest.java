package io.autonomic.detect.scoring;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.LOG_DIR_UTILIZATION;
import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.TestPoints.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.DetectorSettings;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExhaustionForecastScoringTest {

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedPoint, ScoredPoint> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static DetectConfig withForecast(boolean on) {
        DetectConfig defaults = DetectConfig.defaults();
        DetectorSettings d = defaults.detector();
        DetectorSettings settings = d.withExhaustionForecast(on);
        // no rules: only learned detectors speak here
        return new DetectConfig(List.of(), defaults.playbooks(), defaults.incident(), settings);
    }

    private void start(DetectConfig config) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new SeriesScoringFunction(config, Duration.ofMinutes(10)), p -> p.getPoint().getSeriesKey(),
                Types.STRING);
    }

    /** Disk at 40 % rising 1 % per minute with noise, every 10 s, until 95 %. */
    private void sendFillingDisk() throws Exception {
        Random random = new Random(9);
        for (int i = 0; i * 10 / 60.0 < 55; i++) {
            double value = 0.40 + 0.01 * i / 6.0 + 0.002 * random.nextGaussian();
            harness.processElement(gauge(CHECKOUT, LOG_DIR_UTILIZATION, at(i * 10), value), at(i * 10));
        }
    }

    private List<Anomaly> forecasts() {
        var queue = harness.getSideOutput(SeriesScoringFunction.ANOMALIES);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue)
                .filter(a -> a.getDetector().equals(Anomalies.EXHAUSTION_DETECTOR)).collect(Collectors.toList());
    }

    @Test
    void processElement_fillingDisk_forecastsExhaustionBeforeItIsFull() throws Exception {
        start(withForecast(true));

        sendFillingDisk();

        List<Anomaly> forecasts = forecasts();
        assertThat(forecasts).isNotEmpty();
        Anomaly first = forecasts.get(0);
        assertThat(first.getObserved()).as("fires well before the disk is full").isLessThan(0.8);
        assertThat(first.getExpected()).isEqualTo(1.0);
        assertThat(first.getUpper()).isEqualTo(1.0);
        assertThat(first.getScore()).isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(first.getReason()).contains("reaches 1.000 in");
        assertThat(harness.numKeyedStateEntries()).as("baseline and exhaustion trend").isEqualTo(2);
    }

    @Test
    void processElement_forecastOff_raisesNoForecastAndKeepsNoTrendState() throws Exception {
        start(withForecast(false));

        sendFillingDisk();

        assertThat(forecasts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).as("baseline only").isEqualTo(1);
    }
}
