package io.autonomic.detect.diagnosis;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.detect.scoring.EwmaScore;
import io.autonomic.detect.scoring.ScoredPoint;
import io.autonomic.models.forecast.ExhaustionForecaster;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import io.autonomic.schemas.avro.TopologyContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence as the pipeline produces it: points on a resource of some kind and layer, turned into anomalies by
 * detect's own factories ({@link Anomalies#fromRule} with the shipped rules, {@link Anomalies#fromEwma},
 * {@link Anomalies#fromForecast}); threat anomalies as detect/threat raises them (detector {@code threat:*},
 * attribute {@code threat.verdict}).
 */
final class TestEvidence {

    static final long T0 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private static final Map<String, ThresholdRule> SHIPPED_RULES = new HashMap<>();

    static {
        DetectConfig.defaults().rules().forEach(rule -> SHIPPED_RULES.put(rule.name(), rule));
    }

    private final Resource resource;
    private final Layer layer;
    private final List<Anomaly> anomalies = new ArrayList<>();
    private final List<ScoredPoint> scored = new ArrayList<>();
    private long clock = T0;

    private TestEvidence(Resource resource, Layer layer) {
        this.resource = resource;
        this.layer = layer;
    }

    static TestEvidence on(ResourceKind kind, String id, String service, Layer layer) {
        return on(kind, id, service, layer, Map.of());
    }

    static TestEvidence on(ResourceKind kind, String id, String service, Layer layer, Map<String, String> attributes) {
        Resource resource = Resource.newBuilder().setId(id).setKind(kind).setService(service)
                .setAttributes(attributes).build();
        return new TestEvidence(resource, layer);
    }

    Resource resource() {
        return resource;
    }

    List<Anomaly> anomalies() {
        return List.copyOf(anomalies);
    }

    /** The scored points the anomalies came from, as the incident function receives them. */
    List<ScoredPoint> scoredPoints() {
        return List.copyOf(scored);
    }

    private void add(EnrichedPoint point, Anomaly anomaly) {
        anomalies.add(anomaly);
        scored.add(new ScoredPoint(point, List.of(anomaly)));
    }

    /** A shipped threshold rule firing on {@code value} (held since 5 s before). */
    TestEvidence rule(String ruleName, double value) {
        return rule(ruleName, value, Map.of());
    }

    TestEvidence rule(String ruleName, double value, Map<String, String> attributes) {
        ThresholdRule rule = SHIPPED_RULES.get(ruleName);
        if (rule == null) {
            throw new IllegalArgumentException("no shipped rule " + ruleName + " in " + SHIPPED_RULES.keySet());
        }
        EnrichedPoint point = point(rule.metric(), attributes, value);
        add(point, Anomalies.fromRule(point, rule, point.getPoint().getTimestampMillis() - 5_000));
        return this;
    }

    /** The learned baseline flagging {@code metric} at {@code value} (baseline 1, z = 8). */
    TestEvidence learned(String metric, double value) {
        return learned(metric, value, Map.of());
    }

    TestEvidence learned(String metric, double value, Map<String, String> attributes) {
        EnrichedPoint point = point(metric, attributes, value);
        add(point, Anomalies.fromEwma(point, new EwmaScore(false, true, 8, 0.9, 1, 0.5, 1.5), value, false));
        return this;
    }

    TestEvidence logPattern(String pattern, double count) {
        return learned("log.pattern.count", count, Map.of("pattern", pattern));
    }

    TestEvidence alarm(String alarmName) {
        return learned("aws.cloudwatch.alarm.state", 1, Map.of("alarm.name", alarmName));
    }

    TestEvidence cloudTrail(String eventName) {
        return learned("aws.cloudtrail.event", 1, Map.of("event.name", eventName));
    }

    /** The exhaustion forecaster: {@code metric} reaches 1.0 in 20 minutes. */
    TestEvidence forecast(String metric, double value) {
        EnrichedPoint point = point(metric, Map.of(), value);
        add(point, Anomalies.fromForecast(point, new ExhaustionForecaster.Forecast(true, Duration.ofMinutes(20),
                0.0002, 0.95), 1.0, Duration.ofMinutes(30)));
        return this;
    }

    /** A per-source request-rate surge judged by the threat detector. */
    TestEvidence threat(String verdict, Map<String, String> attributes) {
        Map<String, String> withVerdict = new HashMap<>(attributes);
        withVerdict.put("threat.verdict", verdict);
        EnrichedPoint point = point("http.server.request.rate", withVerdict, 12_000);
        add(point, Anomaly.newBuilder()
                .setAnomalyId("threat|" + resource.getId() + "|" + clock)
                .setResource(resource)
                .setContext(point.getContext())
                .setSeriesKey(point.getPoint().getSeriesKey())
                .setMetric("http.server.request.rate")
                .setAttributes(withVerdict)
                .setTimestampMillis(clock)
                .setObserved(12_000)
                .setExpected(1_000)
                .setLower(0)
                .setUpper(2_000)
                .setScore(0.95)
                .setDetector("threat:source-surge")
                .setReason("request rate 12x baseline from one network, verdict " + verdict)
                .build());
        return this;
    }

    /** Adds another resource's evidence (a correlated incident). */
    TestEvidence with(TestEvidence other) {
        anomalies.addAll(other.anomalies);
        scored.addAll(other.scored);
        return this;
    }

    private EnrichedPoint point(String metric, Map<String, String> attributes, double value) {
        clock += 1_000;
        TelemetryPoint point = TelemetryPoint.newBuilder()
                .setResource(resource)
                .setMetric(metric)
                .setUnit("")
                .setType(MetricType.GAUGE)
                .setTemporality(Temporality.UNSPECIFIED)
                .setMonotonic(false)
                .setAttributes(attributes)
                .setSeriesKey(resource.getId() + "|" + metric + attributes)
                .setTimestampMillis(clock)
                .setStartTimestampMillis(0)
                .setValue(value)
                .setScope("test")
                .build();
        TopologyContext context = TopologyContext.newBuilder().setFound(layer != Layer.UNKNOWN)
                .setService(resource.getService()).setLayer(layer).setTags(Map.of()).setAutoRemediate(true).build();
        return EnrichedPoint.newBuilder().setPoint(point).setContext(context).build();
    }
}
