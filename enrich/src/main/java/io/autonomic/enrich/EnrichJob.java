package io.autonomic.enrich;

import io.autonomic.schemas.Option;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.DecodeAvroFunction;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.flink.KafkaRecord;
import io.autonomic.schemas.flink.KafkaRecordSchema;
import io.autonomic.schemas.OptionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The enrich job: points, topology, service-edges and threat-intel topics in, enriched points and dead letters out.
 * Wiring only; the work is in {@link EnrichFunction}. Points are keyed by resource id so a point can wait (bounded)
 * for its service's topology entry; the three compacted topics are broadcast.
 */
public final class EnrichJob {

    public static final String JOB_NAME = "autonomic-enrich";
    static final String CONSUMER_NAME = "enrich";

    private EnrichJob() {
    }

    public static final Option<Duration> CONTEXT_WAIT = Option.duration("context-wait",
            EnrichFunction.DEFAULT_CONTEXT_WAIT, "how long (processing time) a point whose service has no topology "
                    + "entry yet waits for it before passing on marked context-wait-expired; 0 disables waiting");
    public static final Option<Integer> CONTEXT_WAIT_MAX_POINTS = Option.integer("context-wait-max-points",
            EnrichFunction.DEFAULT_MAX_WAITING_POINTS, "how many points of one resource may wait for context; one "
                    + "more releases them all as context-wait-expired");
    public static final Option<Duration> UNDECLARED_RECHECK = Option.duration("undeclared-recheck",
            EnrichFunction.DEFAULT_UNDECLARED_RECHECK, "after a resource's points waited in vain, how long its "
                    + "points pass on at once as not-in-topology before one waits again");

    /** Every option the job reads, besides {@code --topic.<id>=<name>} overrides. */
    public static List<Option<?>> options() {
        List<Option<?>> all = new ArrayList<>(PipelineOptions.ALL);
        all.addAll(List.of(CONTEXT_WAIT, CONTEXT_WAIT_MAX_POINTS, UNDECLARED_RECHECK));
        return List.copyOf(all);
    }

    /** The enrich function as configured by {@code options}; bad values fail naming the option. */
    static EnrichFunction enrichFunction(Options options, Topics topics) {
        Duration wait = options.get(CONTEXT_WAIT);
        if (wait.isNegative()) {
            throw new OptionException("--" + CONTEXT_WAIT.name() + " must not be negative, was " + wait);
        }
        int maxPoints = options.get(CONTEXT_WAIT_MAX_POINTS);
        if (maxPoints < 1) {
            throw new OptionException("--" + CONTEXT_WAIT_MAX_POINTS.name() + " must be positive, was " + maxPoints);
        }
        Duration recheck = options.get(UNDECLARED_RECHECK);
        if (recheck.isNegative()) {
            throw new OptionException("--" + UNDECLARED_RECHECK.name() + " must not be negative, was " + recheck);
        }
        return new EnrichFunction(topics.serviceEdges().name(), topics.threatIntel().name(), wait, maxPoints, recheck);
    }

    /** Adds the job's operators to {@code env}; checkpointing is the caller's ({@link KafkaIO#configureCheckpointing}). */
    public static void build(StreamExecutionEnvironment env, Options options) {
        Topics topics = PipelineOptions.topics(options);
        KafkaIO kafka = new KafkaIO(options, CONSUMER_NAME);

        SingleOutputStreamOperator<TelemetryPoint> points = env
                .fromSource(kafka.source(topics.points()), WatermarkStrategy.noWatermarks(), "points-source")
                .uid("enrich-points-source")
                .process(new DecodeAvroFunction<>(TelemetryPoint.class, EnrichFunction.STAGE))
                .name("decode-points")
                .uid("enrich-decode-points");

        DataStream<KafkaRecord> declared = env
                .fromSource(topologySource(options, topics.topology(), "-topology"), WatermarkStrategy.noWatermarks(),
                        "topology-source")
                .uid("enrich-topology-source");
        DataStream<KafkaRecord> observed = env
                .fromSource(topologySource(options, topics.serviceEdges(), "-service-edges"),
                        WatermarkStrategy.noWatermarks(), "service-edges-source")
                .uid("enrich-service-edges-source");
        DataStream<KafkaRecord> threatIntel = env
                .fromSource(topologySource(options, topics.threatIntel(), "-threat-intel"),
                        WatermarkStrategy.noWatermarks(), "threat-intel-source")
                .uid("enrich-threat-intel-source");
        BroadcastStream<KafkaRecord> context = declared.union(observed, threatIntel)
                .broadcast(EnrichFunction.BROADCAST_STATES.toArray(new MapStateDescriptor<?, ?>[0]));

        SingleOutputStreamOperator<EnrichedPoint> enriched = points
                .keyBy(EnrichFunction.KEY, Types.STRING)
                .connect(context)
                .process(enrichFunction(options, topics))
                .name("attach-topology")
                .uid("enrich-attach-topology");

        enriched.sinkTo(kafka.sink(topics.enrichedPoints(), EnrichedPoint.class,
                        point -> point.getPoint().getResource().getId()))
                .name("enriched-sink")
                .uid("enrich-enriched-sink");

        DataStream<DeadLetter> deadLetters = points.getSideOutput(DeadLetters.TAG)
                .union(enriched.getSideOutput(DeadLetters.TAG));
        deadLetters.sinkTo(kafka.deadLetterSink(topics.deadLetters()))
                .name("dead-letters-sink")
                .uid("enrich-dead-letters-sink");
    }

    /**
     * The topology topic is the whole declared state (and the compacted service-edges and threat-intel topics the
     * whole observed graph and threat intelligence), so a job starting without a checkpoint must read it from the
     * beginning even when its consumer group has committed offsets from an earlier run (which
     * {@link KafkaIO#source} would resume from). A job restored from a checkpoint resumes from the checkpointed
     * offsets with its broadcast state restored; the starting offsets apply only to partitions it has not seen.
     */
    static KafkaSource<KafkaRecord> topologySource(Options options, Topic<?, ?> topic, String groupSuffix) {
        return KafkaSource.<KafkaRecord>builder()
                .setBootstrapServers(options.require(PipelineOptions.BOOTSTRAP_SERVERS))
                .setTopics(topic.name())
                .setGroupId(options.get(PipelineOptions.GROUP_ID_PREFIX) + "-" + CONSUMER_NAME + groupSuffix)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new KafkaRecordSchema())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000")
                .build();
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args, options(), List.of(PipelineOptions.TOPIC_PREFIX));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaIO.configureCheckpointing(env, options);
        build(env, options);
        env.execute(JOB_NAME);
    }
}
