package io.autonomic.ingest.bench;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Random;

/**
 * Deterministic export requests shaped like an instrumented service's periodic export: a resource with the SDK's
 * usual attributes, 20 gauges and 10 counters with 5 attribute sets each, and 5 histograms with 5 attribute sets
 * and 16 buckets. Shared by the benchmarks so part of the figures is comparable across signals.
 */
public final class BenchmarkRequests {

    /** Points {@link #metrics()} decodes to: 100 gauge + 50 counter + 25 histogram points x 6 derived points. */
    public static final int METRIC_POINTS = 300;

    private static final long NOW = 1_740_830_400_000_000_000L;

    private BenchmarkRequests() {
    }

    public static ExportMetricsServiceRequest metrics() {
        Random random = new Random(7);
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.runtime-telemetry-java17").setVersion("2.10.0"));
        for (int m = 0; m < 20; m++) {
            Gauge.Builder gauge = Gauge.newBuilder();
            for (int p = 0; p < 5; p++) {
                gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(NOW).setAsDouble(random.nextDouble() * 100)
                        .addAllAttributes(attributes(p)));
            }
            scope.addMetrics(Metric.newBuilder().setName("jvm.memory.used." + m).setUnit("By").setGauge(gauge));
        }
        for (int m = 0; m < 10; m++) {
            Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            for (int p = 0; p < 5; p++) {
                sum.addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(NOW - 60_000_000_000L)
                        .setTimeUnixNano(NOW).setAsInt(random.nextInt(1_000_000)).addAllAttributes(attributes(p)));
            }
            scope.addMetrics(Metric.newBuilder().setName("http.server.requests." + m).setUnit("{request}").setSum(sum));
        }
        List<Double> bounds = List.of(0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0, 1000.0, 2500.0,
                5000.0, 7500.0, 10000.0);
        for (int m = 0; m < 5; m++) {
            Histogram.Builder histogram = Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            for (int p = 0; p < 5; p++) {
                HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder()
                        .setStartTimeUnixNano(NOW - 60_000_000_000L).setTimeUnixNano(NOW)
                        .addAllExplicitBounds(bounds).addAllAttributes(attributes(p));
                long count = 0;
                for (int b = 0; b <= bounds.size(); b++) {
                    long inBucket = random.nextInt(100);
                    point.addBucketCounts(inBucket);
                    count += inBucket;
                }
                histogram.addDataPoints(point.setCount(count).setSum(count * 42.0).setMin(0.5).setMax(9_000));
            }
            scope.addMetrics(Metric.newBuilder().setName("http.server.request.duration." + m).setUnit("ms")
                    .setHistogram(histogram));
        }
        Resource.Builder resource = Resource.newBuilder();
        String[][] resourceAttributes = {{"service.name", "checkout"}, {"service.version", "1.4.2"},
                {"service.instance.id", "6b1f0c56-0c5e-4f0a-9e37-2b52f9f1d1aa"}, {"host.name", "ip-10-0-1-17"},
                {"host.arch", "amd64"}, {"os.type", "linux"}, {"process.pid", "4242"},
                {"process.runtime.name", "OpenJDK Runtime Environment"}, {"telemetry.sdk.language", "java"},
                {"telemetry.sdk.name", "opentelemetry"}, {"telemetry.sdk.version", "1.68.0"}};
        for (String[] attribute : resourceAttributes) {
            resource.addAttributes(attribute(attribute[0], attribute[1]));
        }
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope))
                .build();
    }

    private static List<KeyValue> attributes(int set) {
        return List.of(attribute("http.route", "/api/v1/resource/" + set), attribute("http.request.method", "GET"),
                attribute("http.response.status_code", String.valueOf(200 + set)));
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
