package io.autonomic.ingest.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SourceRequestCountsTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, a window boundary
    private static final Resource CHECKOUT = Resource.newBuilder().setId("process:host-1/checkout")
            .setKind(ResourceKind.HOST_PROCESS).setService("checkout").setAttributes(new LinkedHashMap<>()).build();

    private KeyedOneInputStreamOperatorTestHarness<String, SpanSample, TelemetryPoint> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new SourceRequestCounts(10_000, 24, 48, 2, List.of("sqlmap")),
                sample -> sample.resource.getId(), Types.STRING);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    private void request(long at, String client, String userAgent) throws Exception {
        SpanSample sample = new SpanSample(SpanSample.Role.SERVICE, CHECKOUT, "checkout", "", "http", at, 5, false);
        sample.clientAddress = client;
        sample.userAgent = userAgent;
        harness.processElement(sample, at);
    }

    @Test
    void window_countsPerNetworkAndAgentClass_topNamedRestOther() throws Exception {
        for (int i = 0; i < 5; i++) {
            request(T0 + i, "203.0.113." + (10 + i), "sqlmap/1.7");
        }
        for (int i = 0; i < 3; i++) {
            request(T0 + 100 + i, "198.51.100." + i, "Mozilla/5.0");
        }
        request(T0 + 200, "2001:db8:1:2::7", "");
        request(T0 + 300, "192.0.2.1", "Mozilla/5.0");
        request(T0 + 400, "not-an-ip.example", "Mozilla/5.0");

        harness.processWatermark(new Watermark(T0 + 9_999));

        List<TelemetryPoint> out = harness.extractOutputValues();
        assertThat(out).extracting(p -> p.getAttributes().get("client.network"),
                        p -> p.getAttributes().get("user_agent.class"), TelemetryPoint::getValue)
                .containsExactlyInAnyOrder(
                        tuple("203.0.113.0/24", "bad-pattern", 5.0),
                        tuple("198.51.100.0/24", "standard", 3.0),
                        tuple("other", "empty", 1.0),
                        tuple("other", "standard", 2.0));
        assertThat(out).allSatisfy(p -> {
            assertThat(p.getMetric()).isEqualTo(SourceRequestCounts.METRIC);
            assertThat(p.getTimestampMillis()).isEqualTo(T0 + 10_000);
            assertThat(p.getStartTimestampMillis()).isEqualTo(T0);
            assertThat(p.getResource()).isEqualTo(CHECKOUT);
        });
        assertThat(out).filteredOn(p -> "203.0.113.0/24".equals(p.getAttributes().get("client.network")))
                .singleElement().satisfies(p -> assertThat(p.getAttributes()).containsEntry("client.address",
                        "203.0.113.0"));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void network_masksIpv4AndIpv6AndRejectsNames() {
        SourceRequestCounts counts = new SourceRequestCounts(10_000, 24, 48, 20, List.of());
        assertThat(counts.network("203.0.113.77")).isEqualTo("203.0.113.0/24");
        assertThat(counts.network("[2001:db8:1:2::7]")).isEqualTo("2001:db8:1:0:0:0:0:0/48");
        assertThat(counts.network("example.com")).isEqualTo("other");
        assertThat(counts.network("999.1.1.1")).isEqualTo("other");
        assertThat(counts.userAgentClass(null)).isEqualTo("empty");
        assertThat(counts.userAgentClass("Mozilla/5.0")).isEqualTo("standard");
    }

    @Test
    void decoder_serverSpans_carryClientAddressAndUserAgent() {
        io.opentelemetry.proto.trace.v1.Span span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(T0 * 1_000_000L).setEndTimeUnixNano((T0 + 5) * 1_000_000L)
                .addAttributes(attribute("client.address", "203.0.113.9"))
                .addAttributes(attribute("user_agent.original", "sqlmap/1.7"))
                .build();
        io.opentelemetry.proto.trace.v1.Span consumer = span.toBuilder()
                .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CONSUMER).build();

        SpanSample server = OtlpSpansDecoder.toSample(CHECKOUT, "checkout", span);
        SpanSample consumed = OtlpSpansDecoder.toSample(CHECKOUT, "checkout", consumer);

        assertThat(server.clientAddress).isEqualTo("203.0.113.9");
        assertThat(server.userAgent).isEqualTo("sqlmap/1.7");
        assertThat(SourceRequestCounts.namesItsClient(server)).isTrue();
        assertThat(SourceRequestCounts.namesItsClient(consumed)).isFalse();
    }

    private static io.opentelemetry.proto.common.v1.KeyValue attribute(String key, String value) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(key)
                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(value)).build();
    }

    @Test
    void spansWithoutClient_andLateSpans_areNotCounted() throws Exception {
        SpanSample noClient = new SpanSample(SpanSample.Role.SERVICE, CHECKOUT, "checkout", "", "http", T0, 5, false);
        assertThat(SourceRequestCounts.namesItsClient(noClient)).isFalse();
        harness.processWatermark(new Watermark(T0 + 20_000));
        request(T0 + 5, "203.0.113.1", "curl/8");

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void stateTypes_arePojosWithoutGenericFields() {
        for (Class<?> type : new Class<?>[] {SourceRequestCounts.WindowCounts.class}) {
            org.apache.flink.api.common.typeinfo.TypeInformation<?> info =
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
            org.apache.flink.api.java.typeutils.PojoTypeInfo<?> pojo = (org.apache.flink.api.java.typeutils.PojoTypeInfo<?>) info;
            for (int i = 0; i < pojo.getArity(); i++) {
                assertThat(pojo.getTypeAt(i)).as(type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName())
                        .isNotInstanceOf(org.apache.flink.api.java.typeutils.GenericTypeInfo.class);
            }
        }
    }
}
