package io.autonomic.ingest;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Fixed instants and OTLP request factories, built with the official protobuf builders. */
final class OtlpRequests {

    static final Instant START = Instant.parse("2025-03-01T11:59:00Z");
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00.123Z");
    static final long START_NANOS = nanos(START);
    static final long NOW_NANOS = nanos(NOW) + 456_789; // sub-millisecond part is truncated
    static final String SCOPE = "io.autonomic.test";

    private OtlpRequests() {
    }

    static long nanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static Resource resource(KeyValue... attributes) {
        return Resource.newBuilder().addAllAttributes(List.of(attributes)).build();
    }

    /** The resource of a process: host.name + service.name. */
    static Resource checkoutOnHost1() {
        return resource(attr("service.name", "checkout"), attr("host.name", "host-1"));
    }

    static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource)
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName(SCOPE).setVersion("1.0"))
                                .addAllMetrics(List.of(metrics))))
                .build();
    }

    static NumberDataPoint.Builder doublePoint(double value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder()
                .setTimeUnixNano(NOW_NANOS)
                .setStartTimeUnixNano(START_NANOS)
                .setAsDouble(value)
                .addAllAttributes(List.of(attributes));
    }

    static NumberDataPoint.Builder intPoint(long value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder()
                .setTimeUnixNano(NOW_NANOS)
                .setStartTimeUnixNano(START_NANOS)
                .setAsInt(value)
                .addAllAttributes(List.of(attributes));
    }

    static Metric gauge(String name, NumberDataPoint.Builder... points) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (NumberDataPoint.Builder point : points) {
            gauge.addDataPoints(point);
        }
        return Metric.newBuilder().setName(name).setUnit("1").setGauge(gauge).build();
    }

    static Metric sum(String name, AggregationTemporality temporality, boolean monotonic, NumberDataPoint.Builder... points) {
        Sum.Builder sum = Sum.newBuilder().setAggregationTemporality(temporality).setIsMonotonic(monotonic);
        for (NumberDataPoint.Builder point : points) {
            sum.addDataPoints(point);
        }
        return Metric.newBuilder().setName(name).setUnit("{request}").setSum(sum).build();
    }

    /** A process's CPU gauge: the smallest useful request. */
    static byte[] cpuGaugeBytes(double value) {
        return request(checkoutOnHost1(), gauge("process.cpu.utilization", doublePoint(value))).toByteArray();
    }

    /** Not protobuf: 0xFF starts a field with wire type 7, which does not exist. */
    static byte[] garbage() {
        return new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01, 0x02, 'n', 'o', 't', ' ', 'o', 't', 'l', 'p'};
    }
}
