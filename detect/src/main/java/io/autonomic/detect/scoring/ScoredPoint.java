package io.autonomic.detect.scoring;

import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * An enriched point with the anomalies it raised (often none). Every point flows on as one of these so the incident
 * stage can tell "healthy and reporting" from "silent".
 */
@TypeInfo(ScoredPoint.TypeFactory.class)
public class ScoredPoint {

    public EnrichedPoint point;
    public List<Anomaly> anomalies = new ArrayList<>();

    public ScoredPoint() {
    }

    public ScoredPoint(EnrichedPoint point, List<Anomaly> anomalies) {
        this.point = Objects.requireNonNull(point, "point");
        this.anomalies = new ArrayList<>(anomalies);
    }

    /**
     * Event time for anomalies that come out of an operator whose own watermark cannot be trusted (one with a
     * control-stream input): the anomalies' times, at most {@code outOfOrderness} out of order, and idle after
     * {@code idleTimeout} without any, so a quiet model never holds back the incident stage.
     */
    public static WatermarkStrategy<Anomaly> anomalyEventTime(Duration outOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<Anomaly>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((anomaly, previous) -> anomaly.getTimestampMillis())
                .withIdleness(idleTimeout);
    }

    /**
     * An anomaly raised outside the per-series scoring (a per-resource model, a per-service source surge) as evidence
     * for the incident stage: a point of the anomaly's series at its time, carrying its observed value.
     */
    public static ScoredPoint ofAnomaly(Anomaly anomaly) {
        TelemetryPoint point = TelemetryPoint.newBuilder()
                .setResource(anomaly.getResource())
                .setMetric(anomaly.getMetric())
                .setSeriesKey(anomaly.getSeriesKey())
                .setTimestampMillis(anomaly.getTimestampMillis())
                .setValue(anomaly.getObserved())
                .build();
        return new ScoredPoint(EnrichedPoint.newBuilder().setPoint(point).setContext(anomaly.getContext()).build(),
                List.of(anomaly));
    }

    public String resourceId() {
        return point.getPoint().getResource().getId();
    }

    public long timestampMillis() {
        return point.getPoint().getTimestampMillis();
    }

    public boolean anomalous() {
        return !anomalies.isEmpty();
    }

    @Override
    public String toString() {
        return "ScoredPoint{" + point.getPoint().getSeriesKey() + "@" + timestampMillis() + ", anomalies="
                + anomalies.size() + '}';
    }

    /** Avro serializers for both fields, instead of Kryo for the list. */
    public static final class TypeFactory extends TypeInfoFactory<ScoredPoint> {
        @Override
        public TypeInformation<ScoredPoint> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return Types.POJO(ScoredPoint.class, Map.of(
                    "point", new AvroTypeInfo<>(EnrichedPoint.class),
                    "anomalies", Types.LIST(new AvroTypeInfo<>(Anomaly.class))));
        }
    }
}
