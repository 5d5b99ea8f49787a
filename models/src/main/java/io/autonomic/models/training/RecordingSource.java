package io.autonomic.models.training;

import io.autonomic.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where a trainer reads its {@link TelemetryRecording}: {@code --input FILE}, or {@code --topic points|enriched}
 * with {@code --bootstrap-servers} (and {@code --topic-name} for a renamed topic). The options' rules and the read are
 * the same for every trainer.
 */
public final class RecordingSource {

    /** How long a bounded topic replay may take before it fails. */
    public static final Duration TOPIC_READ_TIMEOUT = Duration.ofMinutes(5);

    private RecordingSource() {
    }

    /**
     * Checks that {@code --input} and {@code --topic} are not both given, and, when {@code required}, that one is.
     *
     * @throws IllegalArgumentException naming the options
     */
    public static void checkChoice(Map<String, String> values, boolean required) {
        boolean input = values.containsKey("--input");
        boolean topic = values.containsKey("--topic");
        if (input && topic) {
            throw new IllegalArgumentException("--input and --topic exclude each other");
        }
        if (required && !input && !topic) {
            throw new IllegalArgumentException("--input FILE or --topic points|enriched is required");
        }
    }

    /**
     * Checks the options that go with {@code --topic}: which topic, its broker, and no broker or topic name without
     * it.
     *
     * @throws IllegalArgumentException naming the option
     */
    public static void checkTopicOptions(Map<String, String> values) {
        String topic = values.get("--topic");
        if (topic != null && !List.of("points", "enriched").contains(topic)) {
            throw new IllegalArgumentException("--topic must be points or enriched, got " + topic);
        }
        if (topic != null && !values.containsKey("--bootstrap-servers")) {
            throw new IllegalArgumentException("--topic needs --bootstrap-servers");
        }
        if (topic == null && (values.containsKey("--bootstrap-servers") || values.containsKey("--topic-name"))) {
            throw new IllegalArgumentException("--bootstrap-servers and --topic-name go with --topic");
        }
    }

    /**
     * The recording of {@code input} when given, else the bounded replay of {@code topic} ({@code points} or
     * {@code enriched}, named {@code topicName} when not null).
     */
    public static TelemetryRecording read(Path input, String topic, String topicName, String bootstrapServers)
            throws IOException {
        if (input != null) {
            return TelemetryRecording.readFile(input);
        }
        Topics topics = Topics.withOverrides(topicName == null ? Map.of() : Map.of(topic, topicName));
        return "points".equals(topic)
                ? TelemetryRecording.readPoints(bootstrapServers, topics.points(), TOPIC_READ_TIMEOUT)
                : TelemetryRecording.readEnriched(bootstrapServers, topics.enrichedPoints(), TOPIC_READ_TIMEOUT);
    }
}
