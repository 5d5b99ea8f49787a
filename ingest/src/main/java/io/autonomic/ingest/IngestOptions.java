package io.autonomic.ingest;

import io.autonomic.schemas.Option;
import java.time.Duration;
import java.util.List;

/**
 * The options of this module beyond {@link io.autonomic.schemas.PipelineOptions}: topic creation, per-topic OTLP
 * payload encodings and counter-rate state for the ingest job, and the OTLP/HTTP receiver's listener and limits.
 */
public final class IngestOptions {

    public static final Option<Boolean> CREATE_TOPICS = Option.bool("create-topics", false,
            "create the ingest job's topics (otlp metrics, cloud events, points, dead letters) when missing; normally deployment does");
    public static final Option<Integer> TOPIC_PARTITIONS = Option.integer("topic-partitions", 1,
            "partitions of topics created by --create-topics");
    public static final Option<Integer> TOPIC_REPLICATION_FACTOR = Option.integer("topic-replication-factor", 1,
            "replication factor of topics created by --create-topics");

    public static final Option<String> OTLP_HTTP_HOST = Option.string("otlp-http-host", OtlpHttpReceiver.DEFAULT_HOST,
            "address the OTLP/HTTP receiver listens on (0.0.0.0 for all interfaces)");
    public static final Option<Integer> OTLP_HTTP_PORT = Option.integer("otlp-http-port", OtlpHttpReceiver.DEFAULT_PORT,
            "port of the OTLP/HTTP receiver; 0 picks a free one");
    public static final Option<Integer> OTLP_GRPC_PORT = Option.integer("otlp-grpc-port", -1,
            "port of the OTLP/gRPC receiver (4317 is the standard one); 0 picks a free one, -1 serves no gRPC");
    public static final Option<Integer> OTLP_HTTP_MAX_BODY_BYTES = Option.integer("otlp-http-max-body-bytes",
            OtlpHttpReceiver.DEFAULT_MAX_BODY_BYTES, "largest OTLP/HTTP request body accepted, after decompression");
    public static final Option<Duration> OTLP_HTTP_ACK_TIMEOUT = Option.duration("otlp-http-ack-timeout",
            OtlpHttpReceiver.DEFAULT_ACK_TIMEOUT,
            "how long the receiver waits for Kafka to acknowledge a request before answering 503");

    public static final Option<OtlpEncoding> ENCODING_METRICS = Option.enumeration("encoding.metrics", OtlpEncoding.class,
            OtlpEncoding.OTLP_PROTO, "payload encoding of the otlp-metrics topic, as the Collector's kafka exporter "
                    + "writes it: otlp_proto or otlp_json");
    public static final Option<OtlpEncoding> ENCODING_TRACES = Option.enumeration("encoding.traces", OtlpEncoding.class,
            OtlpEncoding.OTLP_PROTO, "payload encoding of the otlp-spans topic: otlp_proto or otlp_json");
    public static final Option<OtlpEncoding> ENCODING_LOGS = Option.enumeration("encoding.logs", OtlpEncoding.class,
            OtlpEncoding.OTLP_PROTO, "payload encoding of the otlp-logs topic: otlp_proto or otlp_json");
    public static final Option<Boolean> CLOUD_EVENTS = Option.bool("cloud-events", true,
            "read EventBridge events (CloudWatch alarms, AWS Config compliance) from the cloud-events topic");
    public static final Option<Boolean> TRACES = Option.bool("traces", true,
            "read OTLP traces from the otlp-spans topic into RED points and the observed service graph");
    public static final Option<Boolean> LOGS = Option.bool("logs", true,
            "read OTLP logs from the otlp-logs topic into log events, template counts and failure patterns");
    public static final Option<Duration> RATE_STATE_TTL = Option.duration("rate.state-ttl",
            CounterRateFunction.DEFAULT_STATE_TTL,
            "how long a counter series' last value is kept for rates after its last point");

    /** The per-topic payload encodings; the receiver writes and the jobs read each topic in its own. */
    public static final List<Option<?>> ENCODINGS = List.of(ENCODING_METRICS, ENCODING_TRACES, ENCODING_LOGS);

    /** Options of {@link IngestJob} besides the pipeline's. */
    public static final List<Option<?>> JOB = List.of(CREATE_TOPICS, TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR,
            ENCODING_METRICS, ENCODING_TRACES, ENCODING_LOGS, CLOUD_EVENTS, TRACES, LOGS, RATE_STATE_TTL);

    /** Options read by {@link OtlpHttpReceiver.Builder#options}, besides the pipeline's bootstrap servers and topics. */
    public static final List<Option<?>> RECEIVER = List.of(OTLP_HTTP_HOST, OTLP_HTTP_PORT, OTLP_GRPC_PORT,
            OTLP_HTTP_MAX_BODY_BYTES,
            OTLP_HTTP_ACK_TIMEOUT, ENCODING_METRICS, ENCODING_TRACES, ENCODING_LOGS);

    private IngestOptions() {
    }
}
