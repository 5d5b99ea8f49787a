package io.autonomic.ingest.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedWindowFunctionTest {

    static final long T0 = 1_700_000_000_000L; // a multiple of 10 s
    static final Resource CHECKOUT = Resource.newBuilder().setId("process:host-1/checkout")
            .setKind(ResourceKind.HOST_PROCESS).setService("checkout").build();

    private KeyedOneInputStreamOperatorTestHarness<String, SpanSample, TelemetryPoint> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RedWindowFunction(10_000),
                SpanSample::redKey, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static SpanSample server(long at, double millis, boolean error) {
        return new SpanSample(SpanSample.Role.SERVICE, CHECKOUT, "checkout", "", "http", at, millis, error);
    }

    static SpanSample client(long at, String callee, double millis, boolean error) {
        return new SpanSample(SpanSample.Role.EDGE, CHECKOUT, "checkout", callee, "http", at, millis, error);
    }

    private void send(SpanSample sample) throws Exception {
        harness.processElement(new StreamRecord<>(sample, sample.timestampMillis));
    }

    @Test
    void onTimer_serviceWindow_emitsRateErrorsAndPercentiles() throws Exception {
        for (int i = 1; i <= 100; i++) {
            send(server(T0 + i * 50, i, i % 10 == 0));
        }
        harness.processWatermark(T0 + 9_999);

        Map<String, TelemetryPoint> points = harness.extractOutputValues().stream()
                .collect(Collectors.toMap(TelemetryPoint::getMetric, Function.identity()));
        assertThat(points).containsOnlyKeys("service.request.rate", "service.request.count", "service.error.ratio",
                "service.latency.p50", "service.latency.p95", "service.latency.p99");
        assertThat(points.get("service.request.rate").getValue()).isEqualTo(10.0);
        assertThat(points.get("service.request.count").getValue()).isEqualTo(100.0);
        assertThat(points.get("service.error.ratio").getValue()).isEqualTo(0.1);
        assertThat(points.get("service.latency.p50").getValue()).isCloseTo(50.0, within(0.5));
        assertThat(points.get("service.latency.p95").getValue()).isCloseTo(95.0, within(1.0));
        assertThat(points.get("service.latency.p99").getValue()).isCloseTo(99.0, within(1.0));
        TelemetryPoint rate = points.get("service.request.rate");
        assertThat(rate.getTimestampMillis()).isEqualTo(T0 + 10_000);
        assertThat(rate.getStartTimestampMillis()).isEqualTo(T0);
        assertThat(rate.getResource()).isEqualTo(CHECKOUT);
        assertThat(rate.getSeriesKey()).isEqualTo("process:host-1/checkout|service.request.rate{}");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void onTimer_edgeWindows_emitPerCalleeWithAttributes() throws Exception {
        send(client(T0 + 1, "inventory", 12, false));
        send(client(T0 + 2, "inventory", 14, true));
        send(client(T0 + 3, "postgresql", 3, false));
        send(client(T0 + 10_001, "inventory", 20, false));
        harness.processWatermark(T0 + 9_999);

        List<TelemetryPoint> ratios = harness.extractOutputValues().stream()
                .filter(p -> p.getMetric().equals("edge.error.ratio")).toList();
        assertThat(ratios).extracting(p -> p.getAttributes().get("callee"), TelemetryPoint::getValue)
                .containsExactlyInAnyOrder(org.assertj.core.api.Assertions.tuple("inventory", 0.5),
                        org.assertj.core.api.Assertions.tuple("postgresql", 0.0));
        assertThat(ratios).allSatisfy(p -> assertThat(p.getAttributes()).containsEntry("caller", "checkout"));
        assertThat(harness.numKeyedStateEntries()).isPositive(); // the second inventory window is still open
        harness.processWatermark(T0 + 19_999);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void processElement_behindWatermark_isDroppedAsLate() throws Exception {
        harness.processWatermark(T0 + 20_000);
        send(server(T0 + 5, 10, false));
        harness.processWatermark(T0 + 40_000);
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
