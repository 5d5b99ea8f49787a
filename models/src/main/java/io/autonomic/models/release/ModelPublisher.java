package io.autonomic.models.release;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ModelRelease;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Stream;
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

/**
 * Puts model releases on the compacted models topic, keyed by model name, where the live jobs pick them up without a
 * restart. A release whose version is already the live one for its name is not written again, so publishing the
 * same directory twice changes nothing in the running jobs. {@link #withdraw} writes a tombstone: the jobs drop the
 * model.
 *
 * <p>The topic must exist; this class does not create it, so a typo in a topic name fails instead of creating a
 * stray, uncompacted topic that no job reads.
 */
public final class ModelPublisher {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String RELEASE_SUFFIX = ".release";

    private ModelPublisher() {
    }

    /** What a publish did, by model name (each list sorted). */
    public record Summary(List<String> published, List<String> unchanged, List<String> withdrawn) {

        public Summary {
            published = List.copyOf(published);
            unchanged = List.copyOf(unchanged);
            withdrawn = List.copyOf(withdrawn);
        }

        @Override
        public String toString() {
            return "published " + published + ", unchanged " + unchanged + ", withdrawn " + withdrawn;
        }
    }

    /**
     * Every release {@link ModelReleases#write} left in {@code directory} (one per {@code *.release} file), stamped
     * {@code publishedAtMillis}, sorted by model name.
     *
     * @throws IOException naming the file that is missing or names no model
     */
    public static List<ModelRelease> releasesIn(Path directory, long publishedAtMillis) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        Map<String, ModelRelease> byName = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(RELEASE_SUFFIX)).sorted().toList()) {
                String name = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(line -> line.startsWith("name="))
                        .map(line -> line.substring("name=".length()).trim())
                        .findFirst()
                        .orElseThrow(() -> new IOException(file + " names no model (no name= line)"));
                byName.put(name, ModelReleases.read(directory, name, publishedAtMillis));
            }
        }
        return List.copyOf(byName.values());
    }

    /**
     * Writes every release whose version differs from the live one of its name.
     *
     * @throws IllegalArgumentException when two releases share a model name
     * @throws IllegalStateException when the topic does not exist or Kafka cannot be read or written in time
     */
    public static Summary publish(String bootstrapServers, Topic<String, ModelRelease> topic,
            Collection<ModelRelease> releases, Duration timeout) {
        Objects.requireNonNull(releases, "releases");
        Map<String, ModelRelease> byName = new TreeMap<>();
        for (ModelRelease release : releases) {
            if (byName.put(release.getModelName(), release) != null) {
                throw new IllegalArgumentException("model " + release.getModelName() + " is released twice");
            }
        }
        Map<String, String> liveVersions = liveVersions(bootstrapServers, topic, timeout);
        List<String> published = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<ProducerRecord<String, ModelRelease>> writes = new ArrayList<>();
        byName.forEach((name, release) -> {
            if (release.getVersion().equals(liveVersions.get(name))) {
                unchanged.add(name);
            } else {
                published.add(name);
                writes.add(new ProducerRecord<>(topic.name(), name, release));
            }
        });
        write(bootstrapServers, topic, writes, timeout);
        return new Summary(published, unchanged, List.of());
    }

    /** Tombstones for the named models that are live; the others are left alone. */
    public static Summary withdraw(String bootstrapServers, Topic<String, ModelRelease> topic,
            Collection<String> modelNames, Duration timeout) {
        Map<String, String> liveVersions = liveVersions(bootstrapServers, topic, timeout);
        List<String> withdrawn = new ArrayList<>();
        List<ProducerRecord<String, ModelRelease>> writes = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(modelNames)) {
            if (liveVersions.containsKey(name)) {
                withdrawn.add(name);
                writes.add(new ProducerRecord<>(topic.name(), name, null));
            }
        }
        write(bootstrapServers, topic, writes, timeout);
        return new Summary(List.of(), List.of(), withdrawn);
    }

    /**
     * The version of the latest release of every model name on the topic, read up to the end offsets taken at the
     * start; a name whose latest record is a tombstone is absent. A value that does not decode counts as "some other
     * version", so it is replaced.
     */
    public static Map<String, String> liveVersions(String bootstrapServers, Topic<String, ModelRelease> topic,
            Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "autonomic-model-publisher");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> live = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + topic.name() + "' (id " + topic.id() + ") does not exist at "
                        + bootstrapServers + "; create the topics before publishing models");
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
                    String name = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        live.remove(name);
                    } else {
                        live.put(name, versionOrUnreadable(topic, record.value()));
                    }
                }
            }
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot read topic '" + topic.name() + "' at " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
        return live;
    }

    private static String versionOrUnreadable(Topic<String, ModelRelease> topic, byte[] value) {
        try {
            return topic.valueSerde().deserializer().deserialize(topic.name(), value).getVersion();
        } catch (RuntimeException e) {
            return "(unreadable)";
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), timeout) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void write(String bootstrapServers, Topic<String, ModelRelease> topic,
            List<ProducerRecord<String, ModelRelease>> writes, Duration timeout) {
        if (writes.isEmpty()) {
            return;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-model-publisher");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
        try (KafkaProducer<String, ModelRelease> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, ModelRelease> record : writes) {
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
            throw new IllegalStateException("interrupted while publishing models to '" + topic.name() + "'", e);
        }
    }
}
