package io.autonomic.schemas.flink;

import io.autonomic.schemas.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.OutputTag;

/** The dead-letter side output every stage shares, and a counter per reason. */
public final class DeadLetters {

    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") { };

    private DeadLetters() {
    }

    public static DeadLetter of(String stage, String reason, String detail, KafkaRecord source, long nowMillis) {
        return DeadLetter.newBuilder()
                .setStage(stage)
                .setReason(reason)
                .setDetail(detail == null ? "" : truncate(detail, 2_000))
                .setSourceTopic(source.topic == null ? "" : source.topic)
                .setSourcePartition(source.partition)
                .setSourceOffset(source.offset)
                .setKey(source.key == null ? null : ByteBuffer.wrap(source.key))
                .setValue(source.value == null ? null : ByteBuffer.wrap(source.value))
                .setTimestampMillis(nowMillis)
                .build();
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** Counts dead letters as {@code deadLetters.<reason>} in a function's metric group. */
    public static final class Counters {
        private final MetricGroup group;
        private final Map<String, Counter> byReason = new HashMap<>();

        public Counters(MetricGroup functionGroup) {
            this.group = functionGroup.addGroup("deadLetters");
        }

        public void inc(String reason) {
            byReason.computeIfAbsent(reason, group::counter).inc();
        }
    }
}
