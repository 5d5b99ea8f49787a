package io.autonomic.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CounterRateFunctionTest {

    private static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
    private static final long PROCESS_START = T0 - 60_000;
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final Resource RESOURCE = Resource.newBuilder().setId("process:host-1/checkout")
            .setKind(ResourceKind.HOST_PROCESS).setService("checkout").build();

    private KeyedOneInputStreamOperatorTestHarness<String, TelemetryPoint, TelemetryPoint> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CounterRateFunction(TTL)), TelemetryPoint::getSeriesKey, Types.STRING);
        harness.open();
        harness.setProcessingTime(T0);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    private static TelemetryPoint counter(Temporality temporality, long start, long time, double value) {
        return TelemetryPoint.newBuilder()
                .setResource(RESOURCE)
                .setMetric("http.requests")
                .setUnit("{request}")
                .setType(MetricType.SUM)
                .setTemporality(temporality)
                .setMonotonic(true)
                .setAttributes(Map.of("route", "/pay"))
                .setSeriesKey(ResourceIdentity.seriesKey(RESOURCE.getId(), "http.requests", Map.of("route", "/pay")))
                .setTimestampMillis(time)
                .setStartTimestampMillis(start)
                .setValue(value)
                .build();
    }

    private void send(TelemetryPoint... points) throws Exception {
        for (TelemetryPoint point : points) {
            harness.processElement(point, point.getTimestampMillis());
        }
    }

    private List<TelemetryPoint> output() {
        return harness.extractOutputValues();
    }

    @Test
    void processElement_cumulativeCounter_emitsPerSecondRateBetweenConsecutivePoints() throws Exception {
        send(counter(Temporality.CUMULATIVE, PROCESS_START, T0, 100),
                counter(Temporality.CUMULATIVE, PROCESS_START, T0 + 10_000, 150),
                counter(Temporality.CUMULATIVE, PROCESS_START, T0 + 20_000, 150));

        assertThat(output())
                .extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue, TelemetryPoint::getTimestampMillis)
                .containsExactly(tuple("http.requests.rate", 5.0, T0 + 10_000), tuple("http.requests.rate", 0.0, T0 + 20_000));
        assertThat(output().get(0)).satisfies(rate -> {
            assertThat(rate.getUnit()).isEqualTo("{request}/s");
            assertThat(rate.getType()).isEqualTo(MetricType.GAUGE);
            assertThat(rate.getTemporality()).isEqualTo(Temporality.UNSPECIFIED);
            assertThat(rate.getMonotonic()).isFalse();
            assertThat(rate.getSeriesKey()).isEqualTo("process:host-1/checkout|http.requests.rate{route=/pay}");
        });
    }

    @Test
    void processElement_valueDecreases_treatsItAsResetWithoutSpikeOrNegativeRate() throws Exception {
        send(counter(Temporality.CUMULATIVE, 0, T0, 1_000_000),
                counter(Temporality.CUMULATIVE, 0, T0 + 10_000, 20),
                counter(Temporality.CUMULATIVE, 0, T0 + 20_000, 70));

        assertThat(output()).extracting(TelemetryPoint::getValue).containsExactly(5.0);
    }

    @Test
    void processElement_processRestartsWithNewStartTime_rebaselinesEvenWhenValueGrew() throws Exception {
        long restart = T0 + 5_000;
        send(counter(Temporality.CUMULATIVE, PROCESS_START, T0, 100),
                // the restarted process counted 500 since its start: larger than before, yet not 400 new requests
                counter(Temporality.CUMULATIVE, restart, T0 + 10_000, 500),
                counter(Temporality.CUMULATIVE, restart, T0 + 20_000, 600));

        assertThat(output()).extracting(TelemetryPoint::getValue).containsExactly(10.0);
    }

    @Test
    void processElement_deltaWithStartTime_dividesByItsOwnInterval() throws Exception {
        send(counter(Temporality.DELTA, T0, T0 + 10_000, 30),
                counter(Temporality.DELTA, T0 + 10_000, T0 + 15_000, 10));

        assertThat(output()).extracting(TelemetryPoint::getValue).containsExactly(3.0, 2.0);
    }

    @Test
    void processElement_deltaWithoutStartTime_usesTimeSinceThePreviousPoint() throws Exception {
        send(counter(Temporality.DELTA, 0, T0, 30),
                counter(Temporality.DELTA, 0, T0 + 4_000, 8),
                counter(Temporality.DELTA, 0, T0 + 8_000, -3));

        assertThat(output()).extracting(TelemetryPoint::getValue).containsExactly(2.0);
    }

    @Test
    void processElement_duplicateOrOlderPoint_isIgnored() throws Exception {
        send(counter(Temporality.CUMULATIVE, PROCESS_START, T0, 100),
                counter(Temporality.CUMULATIVE, PROCESS_START, T0, 100),
                counter(Temporality.CUMULATIVE, PROCESS_START, T0 - 1_000, 90),
                counter(Temporality.CUMULATIVE, PROCESS_START, T0 + 2_000, 104));

        assertThat(output()).extracting(TelemetryPoint::getValue).containsExactly(2.0);
    }

    @Test
    void onTimer_seriesSilentForTheTtl_clearsItsState() throws Exception {
        send(counter(Temporality.CUMULATIVE, PROCESS_START, T0, 100));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.setProcessingTime(T0 + TTL.toMillis() - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        harness.setProcessingTime(T0 + TTL.toMillis());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void processElement_newPointRenewsTheExpiry_keepsOneTimerPerSeries() throws Exception {
        send(counter(Temporality.CUMULATIVE, PROCESS_START, T0, 100));
        harness.setProcessingTime(T0 + 60_000);
        send(counter(Temporality.CUMULATIVE, PROCESS_START, T0 + 60_000, 160));

        harness.setProcessingTime(T0 + TTL.toMillis());

        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }
}
