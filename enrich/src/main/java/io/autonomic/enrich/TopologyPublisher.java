package io.autonomic.enrich;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.TopologyEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the compacted topology topic hold exactly the given services: an entry for every service whose value is new
 * or changed, and a tombstone for every service still live on the topic but no longer declared. The live services
 * are found by reading the topic from the beginning to its current end; a service whose latest record is already a
 * tombstone counts as absent. Unchanged services are not rewritten, so re-publishing the same file sends nothing to
 * the running jobs.
 *
 * <p>The topic must exist (and be compacted); this class does not create it, so a typo in a topic name fails
 * instead of creating a stray, uncompacted topic.
 */
public final class TopologyPublisher {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(TopologyPublisher.class);

    private TopologyPublisher() {
    }

    /** What a publish changed, by service name (each list sorted). */
    public record Summary(List<String> added, List<String> updated, List<String> removed, List<String> unchanged) {

        public Summary {
            added = List.copyOf(added);
            updated = List.copyOf(updated);
            removed = List.copyOf(removed);
            unchanged = List.copyOf(unchanged);
        }

        public int addedCount() {
            return added.size();
        }

        public int updatedCount() {
            return updated.size();
        }

        public int removedCount() {
            return removed.size();
        }

        public int unchangedCount() {
            return unchanged.size();
        }

        /** Records written: entries for added and updated services, tombstones for removed ones. */
        public int written() {
            return added.size() + updated.size() + removed.size();
        }

        @Override
        public String toString() {
            return "added " + describe(added) + ", updated " + describe(updated) + ", removed " + describe(removed)
                    + ", unchanged " + unchanged.size();
        }

        private static String describe(List<String> services) {
            return services.isEmpty() ? "0" : services.size() + " " + services;
        }
    }

    /** {@link #publish(String, Topic, Collection, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static Summary publish(String bootstrapServers, Topic<String, TopologyEntry> topic,
            Collection<TopologyEntry> entries) {
        return publish(bootstrapServers, topic, entries, DEFAULT_TIMEOUT);
    }

    /**
     * Publishes the declared services (e.g. {@link TopologyFile#entries()}) and removes the rest.
     *
     * @throws IllegalArgumentException when two entries share a service name or one has none
     * @throws IllegalStateException when the topic does not exist or Kafka cannot be read or written in time
     */
    public static Summary publish(String bootstrapServers, Topic<String, TopologyEntry> topic,
            Collection<TopologyEntry> entries, Duration timeout) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(timeout, "timeout");
        Map<String, TopologyEntry> declared = index(entries);
        Map<String, byte[]> live = CompactedTopicIO.readLive(bootstrapServers, topic, timeout);

        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<ProducerRecord<String, TopologyEntry>> writes = new ArrayList<>();
        declared.forEach((service, entry) -> {
            byte[] current = live.get(service);
            if (current == null) {
                added.add(service);
                writes.add(new ProducerRecord<>(topic.name(), service, entry));
            } else if (entry.equals(decodeOrNull(topic, current))) {
                unchanged.add(service);
            } else {
                updated.add(service);
                writes.add(new ProducerRecord<>(topic.name(), service, entry));
            }
        });
        live.keySet().stream().filter(service -> !declared.containsKey(service)).forEach(service -> {
            removed.add(service);
            writes.add(new ProducerRecord<>(topic.name(), service, null));
        });
        CompactedTopicIO.write(bootstrapServers, topic, writes, timeout);
        Summary summary = new Summary(added, updated, removed, unchanged);
        LOG.info("published topology to {}: {}", topic.name(), summary);
        return summary;
    }

    private static Map<String, TopologyEntry> index(Collection<TopologyEntry> entries) {
        Map<String, TopologyEntry> byService = new TreeMap<>();
        for (TopologyEntry entry : entries) {
            Objects.requireNonNull(entry, "entries must not contain null");
            String service = entry.getService();
            if (service == null || service.isBlank()) {
                throw new IllegalArgumentException("a topology entry has no service name: " + entry);
            }
            if (byService.put(service, entry) != null) {
                throw new IllegalArgumentException("service '" + service + "' is declared more than once");
            }
        }
        return byService;
    }

    private static TopologyEntry decodeOrNull(Topic<String, TopologyEntry> topic, byte[] value) {
        try {
            return topic.valueSerde().deserializer().deserialize(topic.name(), value);
        } catch (RuntimeException e) {
            // An unreadable current value is simply replaced by the declared one.
            return null;
        }
    }
}
