package io.autonomic.detect.model;

import io.autonomic.models.release.ModelPublisher;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.flink.KafkaRecord;
import io.autonomic.schemas.flink.KafkaRecordSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** Where the live models come from: the models topic, and initial releases from a directory. */
public final class ModelReleaseSource {

    private ModelReleaseSource() {
    }

    /**
     * The compacted models topic, raw (tombstones and undecodable values reach {@link ResourceModelScoringFunction},
     * which handles them), from the earliest offset of every partition: the topic is the whole set of live models,
     * so a job starting without a checkpoint must read all of it even when its consumer group committed offsets
     * earlier. A restored job resumes from its checkpointed offsets with its broadcast state.
     *
     * <p>The topic is subscribed by (quoted) pattern, not by name, because a name subscription fails the whole job
     * when the topic does not exist; models are optional, and a models topic created later is picked up by
     * partition discovery (every 10 s) from its beginning.
     */
    public static KafkaSource<KafkaRecord> kafka(Options options, Topic<String, ModelRelease> topic,
            String consumerName) {
        return KafkaSource.<KafkaRecord>builder()
                .setBootstrapServers(options.require(PipelineOptions.BOOTSTRAP_SERVERS))
                .setTopicPattern(Pattern.compile(Pattern.quote(topic.name())))
                .setGroupId(options.get(PipelineOptions.GROUP_ID_PREFIX) + "-" + consumerName + "-models")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new KafkaRecordSchema())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "10000")
                .build();
    }

    /**
     * The releases {@code train} wrote into {@code directory} ({@code *.release} with their {@code .model}, {@code
     * .signals}, {@code .provenance.txt}); none when {@code directory} is null.
     *
     * @throws IllegalArgumentException naming {@code optionName} and the file when the directory cannot be read
     */
    public static List<ModelRelease> initial(Path directory, String optionName) {
        if (directory == null) {
            return List.of();
        }
        try {
            return ModelPublisher.releasesIn(directory, 0);
        } catch (IOException e) {
            throw new IllegalArgumentException("--" + optionName + " " + directory + ": " + e.getMessage(), e);
        }
    }
}
