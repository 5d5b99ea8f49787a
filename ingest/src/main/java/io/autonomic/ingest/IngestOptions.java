package io.autonomic.ingest;

import io.autonomic.schemas.Option;
import java.time.Duration;
import java.util.List;

/**
 * The options of this module beyond {@link io.autonomic.schemas.PipelineOptions}: topic creation for the ingest
 * job, and the OTLP/HTTP receiver's listener and limits.
 */
public final class IngestOptions {

    public static final Option<Boolean> CREATE_TOPICS = Option.bool("create-topics", false,
            "create the ingest job's topics (otlp metrics, points, dead letters) when missing; normally deployment does");
    public static final Option<Integer> TOPIC_PARTITIONS = Option.integer("topic-partitions", 1,
            "partitions of topics created by --create-topics");
    public static final Option<Integer> TOPIC_REPLICATION_FACTOR = Option.integer("topic-replication-factor", 1,
            "replication factor of topics created by --create-topics");

    public static final Option<String> OTLP_HTTP_HOST = Option.string("otlp-http-host", OtlpHttpReceiver.DEFAULT_HOST,
            "address the OTLP/HTTP receiver listens on (0.0.0.0 for all interfaces)");
    public static final Option<Integer> OTLP_HTTP_PORT = Option.integer("otlp-http-port", OtlpHttpReceiver.DEFAULT_PORT,
            "port of the OTLP/HTTP receiver; 0 picks a free one");
    public static final Option<Integer> OTLP_HTTP_MAX_BODY_BYTES = Option.integer("otlp-http-max-body-bytes",
            OtlpHttpReceiver.DEFAULT_MAX_BODY_BYTES, "largest OTLP/HTTP request body accepted, after decompression");
    public static final Option<Duration> OTLP_HTTP_ACK_TIMEOUT = Option.duration("otlp-http-ack-timeout",
            OtlpHttpReceiver.DEFAULT_ACK_TIMEOUT,
            "how long the receiver waits for Kafka to acknowledge a request before answering 503");

    /** Options of {@link IngestJob} besides the pipeline's. */
    public static final List<Option<?>> JOB = List.of(CREATE_TOPICS, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR);

    /** Options read by {@link OtlpHttpReceiver.Builder#options}, besides the pipeline's bootstrap servers and topics. */
    public static final List<Option<?>> RECEIVER = List.of(OTLP_HTTP_HOST, OTLP_HTTP_PORT, OTLP_HTTP_MAX_BODY_BYTES,
            OTLP_HTTP_ACK_TIMEOUT);

    private IngestOptions() {
    }
}
