package io.autonomic.detect.scoring;

import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;

/**
 * Dead letters for points that decoded fine but broke a later detect step: the point is re-encoded so the dead letter
 * carries a replayable value, keyed by its resource id.
 */
public final class PointDeadLetters {

    public static final String STAGE = "detect";

    private static final AvroSerde<EnrichedPoint> SERDE = AvroSerde.of(EnrichedPoint.class);

    private PointDeadLetters() {
    }

    public static DeadLetter of(String reason, Throwable error, EnrichedPoint point, long nowMillis) {
        byte[] key = point.getPoint() == null || point.getPoint().getResource() == null ? null
                : point.getPoint().getResource().getId().getBytes(StandardCharsets.UTF_8);
        byte[] value;
        try {
            value = SERDE.encode(point);
        } catch (RuntimeException e) {
            value = null;
        }
        KafkaRecord source = new KafkaRecord("", -1, -1, nowMillis, key, value);
        return DeadLetters.of(STAGE, reason, error.getClass().getSimpleName() + ": " + error.getMessage(), source,
                nowMillis);
    }
}
