package io.autonomic.act.verify;

import io.autonomic.act.kafka.CompactedTopicReader;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ResourceHealth;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link HealthView} over the compacted health topic, read from its beginning by a background thread: the latest
 * record per key (resource id) wins and a tombstone removes the resource.
 */
public final class KafkaHealthView implements HealthView, AutoCloseable {

    private final Map<String, ResourceHealth> latest = new ConcurrentHashMap<>();
    private final CompactedTopicReader<ResourceHealth> reader;

    private KafkaHealthView(String bootstrapServers, Topic<String, ResourceHealth> healthTopic) {
        this.reader = CompactedTopicReader.start(bootstrapServers, healthTopic, this::apply, () -> { });
    }

    public static KafkaHealthView start(String bootstrapServers, Topic<String, ResourceHealth> healthTopic) {
        return new KafkaHealthView(bootstrapServers, healthTopic);
    }

    private void apply(String key, ResourceHealth health) {
        if (health == null) {
            if (key != null) {
                latest.remove(key);
            }
            return;
        }
        latest.put(key != null ? key : health.getResource().getId(), health);
    }

    @Override
    public int instancesOf(String service) {
        int count = 0;
        for (ResourceHealth health : latest.values()) {
            if (service.equals(health.getResource().getService())) {
                count++;
            }
        }
        return count;
    }

    @Override
    public Optional<ResourceHealth> latest(String resourceId) {
        return Optional.ofNullable(latest.get(resourceId));
    }

    /** Waits until the topic has been read up to where it stood at start. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    public int size() {
        return latest.size();
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
