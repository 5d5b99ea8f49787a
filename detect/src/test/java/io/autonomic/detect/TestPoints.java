package io.autonomic.detect;

import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.Temporality;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.TopologyContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Fixed instants and record factories for detect tests. */
public final class TestPoints {

    public static final Instant BEGINNING = Instant.parse("2026-01-01T00:00:00Z");
    public static final long T0 = BEGINNING.toEpochMilli();
    public static final String CHECKOUT = "process:host-1/checkout";
    public static final String PAYMENTS = "process:host-1/payments";
    public static final String ERROR_RATIO = "http.server.error_ratio";
    public static final String LOG_DIR_UTILIZATION = "process.log_dir.utilization";
    public static final String REQUEST_COUNT = "http.server.request.count";
    public static final String LATENCY = "http.server.request.duration.mean";

    private TestPoints() {
    }

    /** Milliseconds {@code seconds} after {@link #BEGINNING}. */
    public static long at(double seconds) {
        return T0 + Math.round(seconds * 1000);
    }

    public static Resource resource(String id) {
        String service = id.substring(id.lastIndexOf('/') + 1);
        return Resource.newBuilder()
                .setId(id)
                .setKind(ResourceKind.HOST_PROCESS)
                .setService(service)
                .setAttributes(Map.of("service.name", service, "host.name", "host-1"))
                .build();
    }

    public static TopologyContext context(String service) {
        return TopologyContext.newBuilder()
                .setFound(true)
                .setService(service)
                .setLayer(Layer.APPLICATION)
                .setOwner("team-shop")
                .setCriticality("high")
                .setEnvironment("demo")
                .setDependencies(List.of("postgres"))
                .setTags(Map.of())
                .setAutoRemediate(true)
                .build();
    }

    public static EnrichedPoint gauge(String resourceId, String metric, long timestampMillis, double value) {
        return gauge(resourceId, metric, Map.of(), timestampMillis, value);
    }

    public static EnrichedPoint gauge(String resourceId, String metric, Map<String, String> attributes,
            long timestampMillis, double value) {
        return point(resourceId, metric, MetricType.GAUGE, Temporality.UNSPECIFIED, false, attributes,
                timestampMillis, value);
    }

    public static EnrichedPoint counter(String resourceId, String metric, long timestampMillis, double value) {
        return point(resourceId, metric, MetricType.SUM, Temporality.CUMULATIVE, true, Map.of(), timestampMillis,
                value);
    }

    public static EnrichedPoint point(String resourceId, String metric, MetricType type, Temporality temporality,
            boolean monotonic, Map<String, String> attributes, long timestampMillis, double value) {
        Resource resource = resource(resourceId);
        TelemetryPoint point = TelemetryPoint.newBuilder()
                .setResource(resource)
                .setMetric(metric)
                .setUnit("")
                .setType(type)
                .setTemporality(temporality)
                .setMonotonic(monotonic)
                .setAttributes(attributes)
                .setSeriesKey(seriesKey(resourceId, metric, attributes))
                .setTimestampMillis(timestampMillis)
                .setStartTimestampMillis(0)
                .setValue(value)
                .setScope("test")
                .build();
        return EnrichedPoint.newBuilder().setPoint(point).setContext(context(resource.getService())).build();
    }

    public static String seriesKey(String resourceId, String metric, Map<String, String> attributes) {
        return resourceId + "|" + metric + new TreeMap<>(attributes).entrySet().stream()
                .map(e -> "|" + e.getKey() + "=" + e.getValue()).collect(Collectors.joining());
    }
}
