package io.autonomic.schemas;

import java.time.Duration;
import java.util.List;

/** Options every job and service shares: where Kafka is, topic names, and how the Flink jobs checkpoint. */
public final class PipelineOptions {

    public static final String TOPIC_PREFIX = "topic.";

    public static final Option<String> BOOTSTRAP_SERVERS = Option.string("bootstrap-servers", "localhost:9092",
            "Kafka bootstrap servers");
    public static final Option<Duration> CHECKPOINT_INTERVAL = Option.duration("checkpoint-interval",
            Duration.ofSeconds(10), "Flink checkpoint interval; Kafka transactions commit on each checkpoint, so "
                    + "this bounds end-to-end latency in exactly-once mode");
    public static final Option<DeliveryGuarantee> DELIVERY = Option.enumeration("delivery", DeliveryGuarantee.class,
            DeliveryGuarantee.EXACTLY_ONCE, "Kafka sink guarantee");
    public static final Option<Integer> PARALLELISM = Option.integer("parallelism", 1, "Flink job parallelism");
    public static final Option<String> GROUP_ID_PREFIX = Option.string("group-id-prefix", "autonomic",
            "prefix of consumer group ids and transactional ids");

    public static final List<Option<?>> ALL = List.of(BOOTSTRAP_SERVERS, CHECKPOINT_INTERVAL, DELIVERY, PARALLELISM,
            GROUP_ID_PREFIX);

    /** Mirrors Flink's connector enum so this module's options do not need Flink on the classpath. */
    public enum DeliveryGuarantee {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    private PipelineOptions() {
    }

    public static Topics topics(Options options) {
        return Topics.withOverrides(options.withPrefix(TOPIC_PREFIX));
    }
}
