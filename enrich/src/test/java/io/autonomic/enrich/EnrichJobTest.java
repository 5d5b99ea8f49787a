package io.autonomic.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.enrich.threat.ThreatIntelFile;
import io.autonomic.enrich.threat.ThreatIntelPublisher;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EnrichJobTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                    .build());

    private static final String TOPOLOGY_V1 = """
            services:
              checkout:
                layer: application
                owner: team-payments
                dependsOn: [orders-db]
              orders-db:
                layer: data
            """;

    private static final String TOPOLOGY_V2 = """
            services:
              checkout:
                layer: application
                owner: team-checkout
                tags:
                  AutoRemediate: "false"
            """;

    private static final String CHECKOUT_ID = "process:host-1/checkout";
    private static final String ORDERS_DB_ID = "process:host-2/orders-db";
    private static final String INVENTORY_ID = "process:host-3/inventory";

    private final AtomicLong clock = new AtomicLong(EnrichTestData.BEGINNING.toEpochMilli());

    @Test
    void build_enrichesPoints_andAppliesTopologyUpdatesWithoutRestart() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Options options = options(bootstrap, UUID.randomUUID().toString());
        Topics topics = PipelineOptions.topics(options);
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.points(), topics.enrichedPoints(), topics.topology(),
                topics.serviceEdges(), topics.threatIntel(), topics.deadLetters()), 2, (short) 1);
        TopologyPublisher.publish(bootstrap, topics.topology(), TopologyFile.parse("v1.yaml", TOPOLOGY_V1).entries());
        produceRaw(bootstrap, topics.topology().name(), "broken", new byte[] {1, 2, 3});
        produceRaw(bootstrap, topics.points().name(), CHECKOUT_ID, new byte[] {4, 5, 6});
        produce(bootstrap, topics.points(), point("inventory", INVENTORY_ID, "undeclared", 1));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KafkaIO.configureCheckpointing(env, options);
        EnrichJob.build(env, options);
        JobClient job = env.executeAsync("enrich-test");
        try (EnrichedReader enriched = new EnrichedReader(bootstrap, topics.enrichedPoints())) {
            // Points and topology arrive on separate sources, so the first points may overtake the topology:
            // keep sending until one comes back with context.
            awaitWhileProducing(bootstrap, topics, "v1", enriched, () ->
                    enriched.any("v1", CHECKOUT_ID, e -> e.getContext().getFound()
                            && "team-payments".equals(e.getContext().getOwner())
                            && e.getContext().getDependencies().contains("orders-db")
                            && e.getContext().getAutoRemediate())
                    && enriched.any("v1", ORDERS_DB_ID, e -> e.getContext().getFound())
                    && enriched.any("undeclared", INVENTORY_ID, e -> !e.getContext().getFound()
                            && "inventory".equals(e.getContext().getService())));

            TopologyPublisher.Summary summary = TopologyPublisher.publish(bootstrap, topics.topology(),
                    TopologyFile.parse("v2.yaml", TOPOLOGY_V2).entries());
            assertThat(summary.updated()).containsExactly("checkout");
            // The undecodable record is a live key the file does not declare, so it is removed as well.
            assertThat(summary.removed()).containsExactly("broken", "orders-db");

            awaitWhileProducing(bootstrap, topics, "v2", enriched, () ->
                    enriched.any("v2", CHECKOUT_ID, e -> "team-checkout".equals(e.getContext().getOwner())
                            && !e.getContext().getAutoRemediate())
                    && enriched.any("v2", ORDERS_DB_ID, e -> !e.getContext().getFound()));

            // The dependency graph observed in traces joins the declared one live, and an expired edge leaves it.
            KafkaTestClients.produce(bootstrap, topics.serviceEdges(), "checkout->payments",
                    io.autonomic.schemas.avro.ServiceEdge.newBuilder().setCaller("checkout").setCallee("payments")
                            .setProtocol("http").setFirstSeenMillis(1).setLastSeenMillis(2).setCalls(5).build());
            awaitWhileProducing(bootstrap, topics, "observed", enriched, () ->
                    enriched.any("observed", CHECKOUT_ID, e -> e.getContext().getObservedDependencies().contains("payments")));
            KafkaTestClients.produce(bootstrap, topics.serviceEdges(), "checkout->payments", null);
            awaitWhileProducing(bootstrap, topics, "expired", enriched, () ->
                    enriched.any("expired", CHECKOUT_ID, e -> e.getContext().getObservedDependencies().isEmpty()));

            // Threat intelligence published from a file reaches points that name a source, live.
            ThreatIntelPublisher.Summary published = ThreatIntelPublisher.publish(bootstrap, topics.threatIntel(),
                    List.of(ThreatIntelFile.parse("block.csv", "block",
                            "cidr,list,reputation\n203.0.113.0/24,botnet-a,0.9\n")), clock.get(), Duration.ofSeconds(30));
            assertThat(published.added()).isEqualTo(1);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                TelemetryPoint request = point("checkout", CHECKOUT_ID, "threat", clock.incrementAndGet());
                request.getAttributes().put("client.address", "203.0.113.7");
                produce(bootstrap, topics.points(), request);
                enriched.poll();
                return enriched.any("threat", CHECKOUT_ID, e -> e.getThreat() != null
                        && e.getThreat().getListedIn().contains("botnet-a") && e.getThreat().getReputation() == 0.9);
            });

            // One resource's points stay in one partition and one subtask: once the update is seen, it stays.
            List<EnrichedPoint> checkout = enriched.read().stream()
                    .filter(r -> r.key().equals(CHECKOUT_ID))
                    .map(ConsumerRecord::value)
                    .toList();
            int firstUpdated = indexOfFirst(checkout, e -> !e.getContext().getAutoRemediate());
            assertThat(checkout.subList(firstUpdated, checkout.size()))
                    .allSatisfy(e -> assertThat(e.getContext().getOwner()).isEqualTo("team-checkout"));
            assertThat(enriched.read()).allSatisfy(r ->
                    assertThat(r.key()).isEqualTo(r.value().getPoint().getResource().getId()));

            List<ConsumerRecord<String, DeadLetter>> deadLetters = KafkaTestClients.consumeUntil(bootstrap,
                    topics.deadLetters(), read -> read.size() >= 2, Duration.ofSeconds(30));
            assertThat(deadLetters).extracting(r -> r.value().getStage() + "/" + r.value().getReason())
                    .containsExactlyInAnyOrder("enrich/undecodable-avro", "enrich/" + EnrichFunction.UNDECODABLE_TOPOLOGY);

            assertThat(pointsWithoutContext(job)).isGreaterThanOrEqualTo(2);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void build_givesEveryOperatorANameAndUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EnrichJob.build(env, options("localhost:9092", "graph"));

        List<StreamNode> nodes = new ArrayList<>(env.getStreamGraph().getStreamNodes());

        assertThat(nodes).extracting(StreamNode::getOperatorName).contains("Source: points-source", "Source: topology-source",
                "Source: service-edges-source", "Source: threat-intel-source",
                "decode-points", "attach-topology");
        assertThat(nodes).allSatisfy(node -> assertThat(node.getTransformationUID()).as(node.getOperatorName())
                .isNotBlank());
    }

    private static Options options(String bootstrap, String suffix) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--checkpoint-interval", "1s",
                "--parallelism", "2", "--group-id-prefix", "test-" + suffix, "--context-wait", "1s"));
        for (String id : List.of("points", "enriched", "topology", "service-edges", "threat-intel", "dead-letters")) {
            args.add("--topic." + id + "=" + id + "-" + suffix);
        }
        return Options.parse(args.toArray(String[]::new), EnrichJob.options(), List.of(PipelineOptions.TOPIC_PREFIX));
    }

    private void awaitWhileProducing(String bootstrap, Topics topics, String phase, EnrichedReader enriched,
            java.util.concurrent.Callable<Boolean> done) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    produce(bootstrap, topics.points(), point("checkout", CHECKOUT_ID, phase, clock.incrementAndGet()),
                            point("orders-db", ORDERS_DB_ID, phase, clock.incrementAndGet()));
                    enriched.poll();
                    return done.call();
                });
    }

    private static TelemetryPoint point(String service, String resourceId, String metric, long timestampMillis) {
        return EnrichTestData.point(service, resourceId, metric, timestampMillis, 1.0);
    }

    private static void produce(String bootstrap, Topic<String, TelemetryPoint> topic, TelemetryPoint... points) {
        List<ProducerRecord<String, TelemetryPoint>> records = new ArrayList<>();
        for (TelemetryPoint p : points) {
            records.add(new ProducerRecord<>(topic.name(), p.getResource().getId(), p));
        }
        KafkaTestClients.produce(bootstrap, topic, records);
    }

    private static void produceRaw(String bootstrap, String topicName, String key, byte[] value) {
        Topic<String, byte[]> raw = new Topic<>("raw", topicName, Serdes.String(), Serdes.ByteArray(), false);
        KafkaTestClients.produce(bootstrap, raw, key, value);
    }

    private static long pointsWithoutContext(JobClient job) {
        return METRICS.findMetrics(job.getJobID(), EnrichFunction.POINTS_WITHOUT_CONTEXT).values().stream()
                .mapToLong(metric -> ((Counter) metric).getCount())
                .sum();
    }

    private static <T> int indexOfFirst(List<T> items, java.util.function.Predicate<T> test) {
        for (int i = 0; i < items.size(); i++) {
            if (test.test(items.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no item matched in " + items);
    }

    /** Reads the enriched topic (committed records only) into a list as the test goes. */
    private static final class EnrichedReader implements AutoCloseable {

        private final KafkaConsumer<String, EnrichedPoint> consumer;
        private final List<ConsumerRecord<String, EnrichedPoint>> read = new ArrayList<>();

        EnrichedReader(String bootstrap, Topic<String, EnrichedPoint> topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
            consumer.subscribe(List.of(topic.name()));
        }

        void poll() {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }

        List<ConsumerRecord<String, EnrichedPoint>> read() {
            return read;
        }

        boolean any(String metric, String resourceId, java.util.function.Predicate<EnrichedPoint> test) {
            return read.stream().map(ConsumerRecord::value)
                    .filter(e -> e.getPoint().getMetric().equals(metric))
                    .filter(e -> e.getPoint().getResource().getId().equals(resourceId))
                    .anyMatch(test);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
