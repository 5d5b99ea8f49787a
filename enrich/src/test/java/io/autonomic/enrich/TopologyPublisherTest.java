package io.autonomic.enrich;

import static io.autonomic.enrich.EnrichTestData.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopologyPublisherTest {

    private static final TopologyEntry CHECKOUT = entry("checkout", Layer.APPLICATION, "team-payments",
            List.of("inventory"), Map.of());
    private static final TopologyEntry INVENTORY = entry("inventory", Layer.APPLICATION, "team-stock", List.of(),
            Map.of());
    private static final TopologyEntry ORDERS_DB = entry("orders-db", Layer.DATA, "team-data", List.of(), Map.of());

    private String bootstrap;
    private Topic<String, TopologyEntry> topic;

    @BeforeEach
    void createTopic() throws Exception {
        bootstrap = SharedKafka.bootstrapServers();
        topic = Topics.withOverrides(Map.of("topology", "topology-" + UUID.randomUUID())).topology();
        TopicAdmin.ensureTopics(bootstrap, List.of(topic), 2, (short) 1);
    }

    @Test
    void publish_emptyTopic_addsEveryService() {
        TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topic,
                List.of(CHECKOUT, INVENTORY, ORDERS_DB));

        assertThat(summary.added()).containsExactly("checkout", "inventory", "orders-db");
        assertThat(summary.updatedCount()).isZero();
        assertThat(summary.removedCount()).isZero();
        assertThat(summary.unchangedCount()).isZero();
        assertThat(latestByKey(3)).containsOnlyKeys("checkout", "inventory", "orders-db")
                .containsEntry("checkout", CHECKOUT);
    }

    @Test
    void publish_fileWithoutAService_writesATombstoneAndCountsEachChange() {
        TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT, INVENTORY, ORDERS_DB));
        TopologyEntry newOwner = TopologyEntry.newBuilder(CHECKOUT).setOwner("team-checkout").build();

        TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topic, List.of(newOwner, ORDERS_DB));

        assertThat(summary.addedCount()).isZero();
        assertThat(summary.updated()).containsExactly("checkout");
        assertThat(summary.removed()).containsExactly("inventory");
        assertThat(summary.unchanged()).containsExactly("orders-db");
        assertThat(summary.written()).isEqualTo(2);
        assertThat(summary).hasToString("added 0, updated 1 [checkout], removed 1 [inventory], unchanged 1");

        assertThat(recordCount()).isEqualTo(5);
        List<ConsumerRecord<String, TopologyEntry>> records = readAll(5);
        assertThat(records).filteredOn(record -> record.key().equals("inventory"))
                .extracting(ConsumerRecord::value)
                .containsExactly(INVENTORY, null);
        Map<String, TopologyEntry> latest = latestByKey(5);
        assertThat(latest).containsEntry("checkout", newOwner).containsEntry("orders-db", ORDERS_DB)
                .containsEntry("inventory", null);
    }

    @Test
    void publish_sameFileAgain_writesNothing() {
        TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT, ORDERS_DB));

        TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT, ORDERS_DB));

        assertThat(summary.unchanged()).containsExactly("checkout", "orders-db");
        assertThat(summary.written()).isZero();
        assertThat(recordCount()).isEqualTo(2);
    }

    @Test
    void publish_serviceAlreadyTombstoned_isNotRemovedAgain() {
        TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT, INVENTORY));
        TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT));

        TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT));

        assertThat(summary.removedCount()).isZero();
        assertThat(summary.unchanged()).containsExactly("checkout");
        assertThat(recordCount()).isEqualTo(3);
    }

    @Test
    void publish_serviceComingBackAfterRemoval_isAdded() {
        TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT, INVENTORY));
        TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT));

        TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT, INVENTORY));

        assertThat(summary.added()).containsExactly("inventory");
    }

    @Test
    void publish_undecodableCurrentValue_isReplaced() {
        Topic<byte[], byte[]> raw = new Topic<>("raw", topic.name(), Serdes.ByteArray(), Serdes.ByteArray(), true);
        KafkaTestClients.produce(bootstrap, raw, List.of(new ProducerRecord<>(topic.name(), "checkout".getBytes(),
                new byte[] {1, 2, 3})));

        TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT));

        assertThat(summary.updated()).containsExactly("checkout");
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.consumeUntil(bootstrap, raw,
                read -> read.size() >= 2, Duration.ofSeconds(20));
        assertThat(records).hasSize(2);
        assertThat(topic.valueSerde().deserializer().deserialize(topic.name(), records.get(1).value()))
                .isEqualTo(CHECKOUT);
    }

    @Test
    void publish_duplicateService_failsBeforeWriting() {
        assertThatThrownBy(() -> TopologyPublisher.publish(bootstrap, topic, List.of(CHECKOUT, CHECKOUT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'checkout' is declared more than once");
    }

    @Test
    void publish_missingTopic_failsNamingIt() {
        Topic<String, TopologyEntry> missing = topic.withName("missing-" + UUID.randomUUID());

        assertThatThrownBy(() -> TopologyPublisher.publish(bootstrap, missing, List.of(CHECKOUT),
                Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic '" + missing.name() + "'")
                .hasMessageContaining("does not exist");
    }

    @Test
    void publish_topologyFileEntries_roundTrip() {
        TopologyFile file = TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    layer: application
                    tags:
                      AutoRemediate: "false"
                  orders-db:
                    layer: data
                """);

        TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topic, file.entries());

        assertThat(summary.added()).containsExactly("checkout", "orders-db");
        assertThat(latestByKey(2).get("checkout").getTags()).containsEntry("AutoRemediate", "false");
    }

    /** Records written to the topic so far, from its end offsets. */
    private long recordCount() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private List<ConsumerRecord<String, TopologyEntry>> readAll(int expected) {
        return KafkaTestClients.consumeUntil(bootstrap, topic, read -> read.size() >= expected, Duration.ofSeconds(20));
    }

    private Map<String, TopologyEntry> latestByKey(int expectedRecords) {
        Map<String, TopologyEntry> latest = new HashMap<>();
        readAll(expectedRecords).forEach(record -> latest.put(record.key(), record.value()));
        return latest;
    }
}
