package io.autonomic.enrich;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.TopologyEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
    private static final Duration POLL = Duration.ofMillis(200);

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
        Map<String, byte[]> live = readLive(bootstrapServers, topic, timeout);

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
        write(bootstrapServers, topic, writes, timeout);
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

    /** The latest non-tombstone value of every key, read up to the end offsets taken at the start. */
    private static Map<String, byte[]> readLive(String bootstrapServers, Topic<String, TopologyEntry> topic,
            Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "autonomic-topology-publisher");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Instant deadline = Instant.now().plus(timeout);
        Map<String, byte[]> live = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic.name() + "' (id " + topic.id() + ") does not exist at "
                        + bootstrapServers + "; create the topics before publishing the topology");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!caughtUp(consumer, end, timeout)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("timed out after " + timeout + " reading topic '" + topic.name()
                            + "' at " + bootstrapServers + " up to its end offsets " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.key() == null) {
                        continue;
                    }
                    String service = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
                    if (record.value() == null) {
                        live.remove(service);
                    } else {
                        live.put(service, record.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read topic '" + topic.name() + "' at " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
        return live;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), timeout) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void write(String bootstrapServers, Topic<String, TopologyEntry> topic,
            List<ProducerRecord<String, TopologyEntry>> writes, Duration timeout) {
        if (writes.isEmpty()) {
            return;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-topology-publisher");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
        try (KafkaProducer<String, TopologyEntry> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, TopologyEntry> record : writes) {
                sent.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> result : sent) {
                result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to topic '" + topic.name() + "' at " + bootstrapServers + ": "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw new IllegalStateException("cannot write to topic '" + topic.name() + "' at " + bootstrapServers + ": "
                    + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the topology to '" + topic.name() + "'", e);
        }
    }
}
