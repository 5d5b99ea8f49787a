package io.autonomic.schemas.testing;

import io.autonomic.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;

/** Small producer/consumer helpers for tests against a real broker. */
public final class KafkaTestClients {

    private KafkaTestClients() {
    }

    /**
     * Keeps the records of existing topics regardless of age. Tests that replay fixed event times write records
     * whose timestamps lie months before the broker's clock; under the default 7-day time retention the broker
     * deletes them at its next retention check, and a reader started after it finds the topic empty.
     */
    public static void keepForever(String bootstrap, Collection<Topic<?, ?>> topics) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
            for (Topic<?, ?> topic : topics) {
                changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), List.of(new AlterConfigOp(
                        new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(changes).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set retention.ms=-1 on " + topics, e);
        }
    }

    public static <K, V> void produce(String bootstrap, Topic<K, V> topic, List<ProducerRecord<K, V>> records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<K, V> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            for (ProducerRecord<K, V> record : records) {
                producer.send(record);
            }
            producer.flush();
        }
    }

    public static <K, V> void produce(String bootstrap, Topic<K, V> topic, K key, V value) {
        produce(bootstrap, topic, List.of(new ProducerRecord<>(topic.name(), key, value)));
    }

    /**
     * Reads committed records of a topic from the beginning until {@code done} holds for what was read, or the
     * timeout passes; returns what was read either way.
     */
    public static <K, V> List<ConsumerRecord<K, V>> consumeUntil(String bootstrap, Topic<K, V> topic,
            Predicate<List<ConsumerRecord<K, V>>> done, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<K, V>> read = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            while (!done.test(read) && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }
}
