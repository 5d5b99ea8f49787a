package io.autonomic.ingest;

import io.autonomic.ingest.logs.LogsIngest;
import io.autonomic.ingest.logs.LogsOptions;
import io.autonomic.ingest.traces.TracesIngest;
import io.autonomic.ingest.traces.TracesOptions;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.ingest.cloud.DecodeCloudEventsFunction;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.flink.KafkaRecord;
import io.autonomic.schemas.kafka.TopicAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest job: otlp_metrics records (in the topic's {@code --encoding.metrics}) and EventBridge cloud events in,
 * {@link TelemetryPoint}s out on the points topic keyed by resource id (so one resource's points stay ordered in
 * one partition), monotonic counters also as {@code <metric>.rate} points, dead letters to the dead-letter topic.
 * Wiring only; the work is in {@link DecodeOtlpMetricsFunction}, {@link CounterRateFunction} and
 * {@link DecodeCloudEventsFunction}. No watermarks: nothing here depends on event time.
 *
 * <p>Each signal is wired by its own method taking the environment, the options, the Kafka plumbing and the topic
 * catalog, so further signals (traces, logs) are added to {@link #build} the same way.
 */
public final class IngestJob {

    public static final String JOB_NAME = "autonomic-ingest";
    /** Names this job's consumer group and transactional ids under {@code --group-id-prefix}. */
    public static final String KAFKA_NAME = "ingest";

    private IngestJob() {
    }

    /** Every option {@link #main} accepts, besides {@code --topic.<id>} overrides. */
    public static List<Option<?>> options() {
        List<Option<?>> all = new ArrayList<>(PipelineOptions.ALL);
        all.addAll(IngestOptions.JOB);
        all.addAll(TracesOptions.ALL);
        all.addAll(LogsOptions.ALL);
        return List.copyOf(all);
    }

    /**
     * Adds the job's operators to {@code env}. Checkpointing and parallelism are the caller's (see
     * {@link KafkaIO#configureCheckpointing}), so several jobs can share one environment.
     */
    public static void build(StreamExecutionEnvironment env, Options options) {
        Topics topics = PipelineOptions.topics(options);
        KafkaIO kafka = new KafkaIO(options, KAFKA_NAME);

        Decoded all = metrics(env, options, kafka, topics);
        if (options.get(IngestOptions.CLOUD_EVENTS)) {
            all = all.union(cloudEvents(env, kafka, topics));
        }
        if (options.get(IngestOptions.TRACES)) {
            all = all.union(TracesIngest.build(env, options, kafka, topics));
        }
        if (options.get(IngestOptions.LOGS)) {
            all = all.union(LogsIngest.build(env, options, kafka, topics));
        }

        all.points().sinkTo(kafka.sink(topics.points(), TelemetryPoint.class, point -> point.getResource().getId()))
                .name("points-sink")
                .uid("ingest-points-sink");
        all.deadLetters().sinkTo(kafka.deadLetterSink(topics.deadLetters()))
                .name("dead-letters-sink")
                .uid("ingest-dead-letters-sink");
    }

    /** OTLP metrics: decode, then per-second rates of monotonic counters next to the points themselves. */
    static Decoded metrics(StreamExecutionEnvironment env, Options options, KafkaIO kafka, Topics topics) {
        DataStream<KafkaRecord> records = env
                .fromSource(kafka.source(topics.otlpMetrics()), WatermarkStrategy.noWatermarks(), "otlp-metrics-source")
                .name("otlp-metrics-source")
                .uid("ingest-otlp-metrics-source");

        SingleOutputStreamOperator<TelemetryPoint> points = records
                .process(new DecodeOtlpMetricsFunction(options.get(IngestOptions.ENCODING_METRICS)))
                .name("decode-otlp-metrics")
                .uid("ingest-decode-otlp-metrics");

        DataStream<TelemetryPoint> rates = points
                .filter(CounterRateFunction::appliesTo)
                .name("monotonic-counters")
                .uid("ingest-monotonic-counters")
                .keyBy(TelemetryPoint::getSeriesKey)
                .process(new CounterRateFunction(positive(options, IngestOptions.RATE_STATE_TTL)))
                .name("counter-rates")
                .uid("ingest-counter-rates");

        return new Decoded(points.union(rates), points.getSideOutput(DeadLetters.TAG));
    }

    /** EventBridge JSON from the cloud-events topic. */
    static Decoded cloudEvents(StreamExecutionEnvironment env, KafkaIO kafka, Topics topics) {
        SingleOutputStreamOperator<TelemetryPoint> points = env
                .fromSource(kafka.source(topics.cloudEvents()), WatermarkStrategy.noWatermarks(), "cloud-events-source")
                .name("cloud-events-source")
                .uid("ingest-cloud-events-source")
                .process(new DecodeCloudEventsFunction())
                .name("decode-cloud-events")
                .uid("ingest-decode-cloud-events");
        return new Decoded(points, points.getSideOutput(DeadLetters.TAG));
    }

    /** What one signal's wiring yields: the points and the dead letters, each still to be sunk. */
    /**
     * What one signal's pipeline contributes to the shared sinks. Every signal's points and dead letters go through
     * one points sink and one dead-letter sink: two exactly-once sinks on one topic would need distinct
     * transactional ids for no gain.
     */
    public record Decoded(DataStream<TelemetryPoint> points, DataStream<DeadLetter> deadLetters) {

        public Decoded union(Decoded other) {
            return new Decoded(points.union(other.points), deadLetters.union(other.deadLetters));
        }
    }

    private static Duration positive(Options options, Option<Duration> option) {
        Duration value = options.get(option);
        if (value.isZero() || value.isNegative()) {
            throw new OptionException("--" + option.name() + " must be positive: " + value);
        }
        return value;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args, options(), List.of(PipelineOptions.TOPIC_PREFIX));
        } catch (OptionException e) {
            throw new OptionException(e.getMessage() + System.lineSeparator() + "options of " + JOB_NAME + ":"
                    + System.lineSeparator() + Options.usage(options()) + "  --topic.<id>=<name>           topic name overrides");
        }
        Topics topics = PipelineOptions.topics(options); // an unknown --topic.<id> fails here, before Flink starts
        if (options.get(IngestOptions.TOPIC_PARTITIONS) <= 0) {
            throw new OptionException("--" + IngestOptions.TOPIC_PARTITIONS.name() + " must be positive");
        }
        int replication = options.get(IngestOptions.TOPIC_REPLICATION_FACTOR);
        if (replication <= 0 || replication > Short.MAX_VALUE) {
            throw new OptionException("--" + IngestOptions.TOPIC_REPLICATION_FACTOR.name() + " must be between 1 and "
                    + Short.MAX_VALUE);
        }
        if (options.get(IngestOptions.CREATE_TOPICS)) {
            TopicAdmin.ensureTopics(options.require(PipelineOptions.BOOTSTRAP_SERVERS),
                    List.of(topics.otlpMetrics(), topics.otlpSpans(), topics.otlpLogs(), topics.cloudEvents(),
                            topics.serviceEdges(), topics.logEvents(), topics.points(), topics.deadLetters()),
                    options.get(IngestOptions.TOPIC_PARTITIONS),
                    (short) replication);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaIO.configureCheckpointing(env, options);
        build(env, options);
        env.execute(JOB_NAME);
    }
}
