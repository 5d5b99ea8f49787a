package io.autonomic.schemas.flink;

import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.DeadLetter;
import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the Kafka sources and sinks of a job from the shared options, so every job reads committed data only and
 * writes transactionally when exactly-once is configured.
 */
public final class KafkaIO {

    private final String bootstrapServers;
    private final DeliveryGuarantee guarantee;
    private final String jobName;
    private final String prefix;
    private final java.util.Set<String> transactionalIdPrefixes = new java.util.HashSet<>();

    public KafkaIO(Options options, String jobName) {
        this.bootstrapServers = options.require(PipelineOptions.BOOTSTRAP_SERVERS);
        this.guarantee = options.get(PipelineOptions.DELIVERY) == PipelineOptions.DeliveryGuarantee.EXACTLY_ONCE
                ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        this.jobName = jobName;
        this.prefix = options.get(PipelineOptions.GROUP_ID_PREFIX);
    }

    /** Checkpointing as the options say; exactly-once sinks commit their Kafka transactions on each checkpoint. */
    public static void configureCheckpointing(StreamExecutionEnvironment env, Options options) {
        Duration interval = options.get(PipelineOptions.CHECKPOINT_INTERVAL);
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(Math.min(interval.toMillis() / 2, 1_000));
        env.setParallelism(options.get(PipelineOptions.PARALLELISM));
    }

    public KafkaSource<KafkaRecord> source(Topic<?, ?>... topics) {
        String[] names = new String[topics.length];
        for (int i = 0; i < topics.length; i++) {
            names[i] = topics[i].name();
        }
        return KafkaSource.<KafkaRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(names)
                .setGroupId(prefix + "-" + jobName)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaRecordSchema())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000")
                .build();
    }

    public <T extends SpecificRecord> KafkaSink<T> sink(Topic<String, T> topic, Class<T> type, KeySelector<T, String> key) {
        Properties producer = new Properties();
        // Must not exceed the broker's transaction.max.timeout.ms (15 minutes by default).
        producer.setProperty("transaction.timeout.ms", String.valueOf(Duration.ofMinutes(10).toMillis()));
        producer.setProperty("linger.ms", "5");
        String transactionalIdPrefix = prefix + "-" + jobName + "-" + topic.id();
        if (!transactionalIdPrefixes.add(transactionalIdPrefix)) {
            // Two exactly-once sinks sharing transactional ids fence each other and the job restarts forever.
            throw new IllegalStateException("a second sink to topic '" + topic.id() + "' in job '" + jobName
                    + "': union the streams into one sink");
        }
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new AvroRecordSerializer<>(topic.name(), type, key))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build();
    }

    public KafkaSink<DeadLetter> deadLetterSink(Topic<String, DeadLetter> topic) {
        return sink(topic, DeadLetter.class, d -> d.getStage() + "/" + d.getReason());
    }
}
