package io.autonomic.enrich;

import io.autonomic.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * Reading and writing a compacted, string-keyed topic as a whole: what the topology and threat-intel publishers
 * share. The topic must exist; neither method creates it, so a typo in a topic name fails instead of creating a
 * stray, uncompacted topic.
 */
public final class CompactedTopicIO {

    private static final Duration POLL = Duration.ofMillis(200);

    private CompactedTopicIO() {
    }

    private static String clientId(Topic<?, ?> topic) {
        return "autonomic-" + topic.id() + "-publisher";
    }

    /** The latest non-tombstone value of every key, read up to the end offsets taken at the start. */
    public static Map<String, byte[]> readLive(String bootstrapServers, Topic<String, ?> topic,
            Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(topic));
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
                        + bootstrapServers + "; create the topics before publishing to it");
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

    public static <V> void write(String bootstrapServers, Topic<String, V> topic,
            List<ProducerRecord<String, V>> writes, Duration timeout) {
        if (writes.isEmpty()) {
            return;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(topic));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout.toMillis(), 1_000)));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ProducerRecord<String, V> record : writes) {
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
            throw new IllegalStateException("interrupted while publishing to '" + topic.name() + "'", e);
        }
    }
}
