package io.autonomic.ingest;

import static io.autonomic.ingest.OtlpRequests.attr;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;

/**
 * Messages as the OpenTelemetry Collector's kafka exporter writes them to otlp_metrics: one
 * ExportMetricsServiceRequest per message, built with the official opentelemetry-proto classes, serialized as
 * protobuf ({@code encoding: otlp_proto}) or OTLP/JSON ({@code encoding: otlp_json}: enums as integers, hex ids,
 * 64-bit integers as strings). One request holds every metric type.
 */
final class CollectorMessages {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN_ID = "00f067aa0ba902b7";
    private static final long NOW = OtlpRequests.NOW_NANOS;
    private static final long START = OtlpRequests.START_NANOS;

    /** Metric names the request decodes to, rates included. */
    static final List<String> EVERY_METRIC_TYPE_METRICS = List.of(
            "process.cpu.utilization",
            "http.server.requests",
            "messaging.received", "messaging.received.rate",
            "db.client.connections.usage",
            "http.server.request.duration.count", "http.server.request.duration.count.rate",
            "http.server.request.duration.sum", "http.server.request.duration.mean",
            "http.server.request.duration.p50", "http.server.request.duration.p95", "http.server.request.duration.p99",
            "rpc.server.duration.count", "rpc.server.duration.sum",
            "rpc.server.duration.p50", "rpc.server.duration.p95", "rpc.server.duration.p99",
            "jvm.gc.pause.count", "jvm.gc.pause.sum", "jvm.gc.pause", "jvm.gc.pause");
    static final int EVERY_METRIC_TYPE_POINTS = EVERY_METRIC_TYPE_METRICS.size();

    private CollectorMessages() {
    }

    static ExportMetricsServiceRequest everyMetricType() {
        Exemplar exemplar = Exemplar.newBuilder()
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE_ID)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN_ID)))
                .setAsDouble(742.0).setTimeUnixNano(NOW - 2_000_000_000L).build();
        Metric gauge = Metric.newBuilder().setName("process.cpu.utilization").setUnit("1")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                        .setTimeUnixNano(NOW).setAsDouble(0.37)))
                .build();
        Metric cumulativeCounter = Metric.newBuilder().setName("http.server.requests").setUnit("{request}")
                .setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(NOW)
                                .setAsInt(1_234).addAttributes(attr("http.route", "/pay"))))
                .build();
        Metric deltaCounter = Metric.newBuilder().setName("messaging.received").setUnit("{message}")
                .setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(NOW - 10_000_000_000L)
                                .setTimeUnixNano(NOW).setAsInt(50)))
                .build();
        Metric upDownCounter = Metric.newBuilder().setName("db.client.connections.usage").setUnit("{connection}")
                .setSum(Sum.newBuilder().setIsMonotonic(false)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(NOW)
                                .setAsInt(8)))
                .build();
        Metric histogram = Metric.newBuilder().setName("http.server.request.duration").setUnit("ms")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(NOW - 10_000_000_000L)
                                .setTimeUnixNano(NOW).setCount(100).setSum(9_100).setMin(3).setMax(812)
                                .addAllExplicitBounds(List.of(5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0))
                                .addAllBucketCounts(List.of(2L, 8L, 20L, 30L, 25L, 10L, 3L, 2L, 0L))
                                .addExemplars(exemplar)))
                .build();
        Metric exponential = Metric.newBuilder().setName("rpc.server.duration").setUnit("ms")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(START)
                                .setTimeUnixNano(NOW).setCount(12).setSum(230).setScale(3).setZeroCount(0)
                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(24)
                                        .addAllBucketCounts(List.of(1L, 3L, 4L, 2L, 1L, 1L)))))
                .build();
        Metric summary = Metric.newBuilder().setName("jvm.gc.pause").setUnit("s")
                .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
                        .setStartTimeUnixNano(START).setTimeUnixNano(NOW).setCount(40).setSum(1.2)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.02))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(0.11))))
                .build();
        Resource resource = Resource.newBuilder()
                .addAttributes(attr("service.name", "checkout"))
                .addAttributes(attr("host.name", "ip-10-0-1-17"))
                .addAttributes(attr("telemetry.sdk.language", "java"))
                .build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("2.10.0"))
                                .addAllMetrics(List.of(gauge, cumulativeCounter, deltaCounter, upDownCounter, histogram,
                                        exponential, summary))))
                .build();
    }

    static byte[] everyMetricTypeProto() {
        return everyMetricType().toByteArray();
    }

    static byte[] everyMetricTypeJson() {
        return OtlpEncoding.OTLP_JSON.write(everyMetricType());
    }
}
