package io.autonomic.schemas;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with its name and serdes declared together, so a producer and a consumer can never disagree on
 * the format.
 *
 * @param id stable logical id used for configuration overrides (e.g. {@code commands})
 * @param name the Kafka topic name
 * @param compacted whether the topic holds the latest value per key (cleanup.policy=compact)
 */
public record Topic<K, V>(String id, String name, Serde<K> keySerde, Serde<V> valueSerde, boolean compacted) {

    public Topic {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name for '" + id + "' must not be blank");
        }
    }

    public Topic<K, V> withName(String newName) {
        return new Topic<>(id, newName, keySerde, valueSerde, compacted);
    }
}
