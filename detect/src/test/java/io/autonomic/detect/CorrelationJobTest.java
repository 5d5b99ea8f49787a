package io.autonomic.detect;

import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.TestPoints.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.Playbook;
import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.RootCause;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a MiniCluster against a real broker: a database fault propagating to three services yields one
 * incident with the database as its top root cause; after a live topology update (the services' records no longer
 * list the database) the next faults of the same job open separate incidents.
 */
class CorrelationJobTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String DB = "process:db-1/orders-db";
    private static final List<String> SERVICES =
            List.of("process:host-1/checkout", "process:host-2/orders", "process:host-3/payments");
    private static final String DB_ERRORS = "db.server.io.error_ratio";
    private static final String HTTP_ERRORS = "http.server.error_ratio";
    /** From here on the callers' records no longer list the database. */
    private static final int TOPOLOGY_UPDATE = 100;
    /** Second fault, after the topology update. */
    private static final int SECOND_FAULT = 140;
    private static final int END = 185;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @BeforeAll
    static void tempDir() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @Test
    void databaseFault_oneIncidentWithTheDatabaseAsRootCause_andATopologyUpdateSeparatesTheNextOnes()
            throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--checkpoint-interval", "1s",
                "--group-id-prefix", "correlation-test-" + run));
        for (String id : List.of("enriched", "anomalies", "incidents", "commands", "health", "dead-letters")) {
            args.add("--topic." + id + "=correlation-test-" + run + "." + id);
        }
        Options options = Options.parse(args.toArray(String[]::new), DetectJob.options(),
                List.of(PipelineOptions.TOPIC_PREFIX));
        Topics topics = PipelineOptions.topics(options);
        TestTopics.ensureKeptForever(bootstrap, List.of(topics.enrichedPoints(), topics.anomalies(), topics.incidents(),
                topics.commands(), topics.health(), topics.deadLetters()));
        produceScenario(bootstrap, topics.enrichedPoints(), 0, TOPOLOGY_UPDATE);

        Configuration noKryo = new Configuration();
        noKryo.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(noKryo);
        KafkaIO.configureCheckpointing(env, options);
        DetectJob.build(env, options, config());
        JobClient job = env.executeAsync("correlation-test");
        try {
            // The topology update arrives while the job runs, after the first incident closed. (Given in one
            // backlog, both faults would reach each resource before event time closes its first episode.)
            read(bootstrap, topics.incidents(), records -> records.stream()
                    .anyMatch(r -> r.value().getStatus() == IncidentStatus.RESOLVED));
            produceScenario(bootstrap, topics.enrichedPoints(), TOPOLOGY_UPDATE, END);
            // every incident of both phases resolved: 1 correlated, then 4 separate ones
            List<Incident> incidents = values(read(bootstrap, topics.incidents(), records -> records.stream()
                    .filter(r -> r.value().getStatus() == IncidentStatus.RESOLVED).count() >= 5));
            Map<String, List<Incident>> byId = incidents.stream().collect(
                    Collectors.groupingBy(Incident::getIncidentId, LinkedHashMap::new, Collectors.toList()));
            List<List<Incident>> first = byId.values().stream()
                    .filter(history -> history.get(0).getOpenedAtMillis() < at(SECOND_FAULT)).toList();
            List<List<Incident>> second = byId.values().stream()
                    .filter(history -> history.get(0).getOpenedAtMillis() >= at(SECOND_FAULT)).toList();

            assertThat(first).as("one incident for the database fault and its three callers").hasSize(1);
            List<Incident> history = first.get(0);
            assertThat(history.get(0).getStatus()).isEqualTo(IncidentStatus.OPEN);
            assertThat(history.get(history.size() - 1).getStatus()).isEqualTo(IncidentStatus.RESOLVED);
            Incident opened = history.get(0);
            assertThat(opened.getResource().getId()).isEqualTo(DB);
            assertThat(opened.getRootCauses()).extracting(RootCause::getResourceId).first().isEqualTo(DB);
            assertThat(opened.getRootCauses().get(0).getLayer()).isEqualTo(Layer.DATA);
            assertThat(opened.getResources()).containsExactlyInAnyOrder(
                    DB, SERVICES.get(0), SERVICES.get(1), SERVICES.get(2));
            assertThat(opened.getInhibited()).containsExactlyInAnyOrderElementsOf(SERVICES);
            assertThat(opened.getEvidence()).extracting(a -> a.getResource().getId())
                    .as("the dependents' anomalies are evidence").containsAll(SERVICES).contains(DB);
            assertThat(opened.getEvidence()).filteredOn(a -> SERVICES.contains(a.getResource().getId()))
                    .extracting(Anomaly::getMetric).containsOnly(HTTP_ERRORS);
            assertThat(opened.getDiagnosis().getIncidentType()).isEqualTo("db-degradation");
            assertThat(opened.getDiagnosis().getRootCause()).isEqualTo(DB);
            assertThat(opened.getPlaybook()).isEqualTo("restart-db-on-io-errors");
            assertThat(history).allSatisfy(i -> assertThat(i.getResource().getId()).isEqualTo(DB));

            assertThat(second).as("after the topology update: the database and each service alone").hasSize(4);
            assertThat(second).allSatisfy(h -> assertThat(h.get(0).getResources()).hasSize(1));
            assertThat(second).extracting(h -> h.get(0).getResource().getId())
                    .containsExactlyInAnyOrder(DB, SERVICES.get(0), SERVICES.get(1), SERVICES.get(2));
            assertThat(second).allSatisfy(h -> assertThat(h.get(0).getInhibited()).isEmpty());

            List<RemediationCommand> commands = values(read(bootstrap, topics.commands(), r -> r.size() >= 2));
            assertThat(commands).as("one command per database incident, none for the callers").hasSize(2);
            assertThat(commands).allSatisfy(command -> {
                assertThat(command.getTarget().getId()).isEqualTo(DB);
                assertThat(command.getPlaybook()).isEqualTo("restart-db-on-io-errors");
                assertThat(command.getAction()).isEqualTo("process.restart");
                assertThat(command.getMode()).isEqualTo(ExecutionMode.EXECUTE);
            });
            assertThat(commands.get(0).getIncident().getIncidentId()).isEqualTo(opened.getIncidentId());
        } finally {
            job.cancel().get();
        }
    }

    /** The shipped configuration plus the database rule and playbook of the demo. */
    private static DetectConfig config() {
        DetectConfig defaults = DetectConfig.defaults();
        List<ThresholdRule> rules = new ArrayList<>(defaults.rules());
        rules.add(new ThresholdRule("db-io-errors", DB_ERRORS, 0.1, null, Duration.ofSeconds(3), "db-degradation",
                Map.of()));
        List<Playbook> playbooks = new ArrayList<>(defaults.playbooks());
        playbooks.add(new Playbook("restart-db-on-io-errors", "db-degradation", "process.restart",
                ExecutionMode.EXECUTE, Duration.ofSeconds(60), Duration.ofMinutes(2), Map.of()));
        return new DetectConfig(rules, playbooks, defaults.incident(), defaults.detector());
    }

    private static TopologyContext context(String service, Layer layer, List<String> dependencies) {
        return TopologyContext.newBuilder()
                .setFound(true)
                .setService(service)
                .setLayer(layer)
                .setOwner("team-shop")
                .setEnvironment("demo")
                .setDependencies(dependencies)
                .build();
    }

    /**
     * Four resources report every second. The database's I/O error ratio is 0.5 from 38s to 49s; its three callers
     * answer a few errors (0.1, under the 5xx rule's threshold) from 40s to 49s. From {@link #TOPOLOGY_UPDATE} on the
     * callers' records no longer list the database; the same faults repeat at {@link #SECOND_FAULT}.
     */
    private static void produceScenario(String bootstrap, Topic<String, EnrichedPoint> enriched, int from, int to) {
        List<ProducerRecord<String, EnrichedPoint>> records = new ArrayList<>();
        TopologyContext database = context("orders-db", Layer.DATA, List.of());
        for (int s = from; s < to; s++) {
            int sinceFault = s >= SECOND_FAULT ? s - SECOND_FAULT + 38 : s;
            boolean dbFailing = sinceFault >= 38 && sinceFault < 50;
            boolean callersFailing = sinceFault >= 40 && sinceFault < 50;
            records.add(record(enriched, DB, DB_ERRORS, s, dbFailing ? 0.5 : 0.0, database));
            for (String service : SERVICES) {
                String name = service.substring(service.lastIndexOf('/') + 1);
                List<String> dependencies = s >= TOPOLOGY_UPDATE ? List.of() : List.of("orders-db");
                records.add(record(enriched, service, HTTP_ERRORS, s, callersFailing ? 0.1 : 0.0,
                        context(name, Layer.APPLICATION, dependencies)));
            }
        }
        KafkaTestClients.produce(bootstrap, enriched, records);
    }

    private static ProducerRecord<String, EnrichedPoint> record(Topic<String, EnrichedPoint> enriched,
            String resourceId, String metric, int second, double value, TopologyContext context) {
        EnrichedPoint point = EnrichedPoint.newBuilder(gauge(resourceId, metric, at(second), value))
                .setContext(context).build();
        return new ProducerRecord<>(enriched.name(), resourceId, point);
    }

    private static <V> List<ConsumerRecord<String, V>> read(String bootstrap, Topic<String, V> topic,
            Predicate<List<ConsumerRecord<String, V>>> done) {
        List<ConsumerRecord<String, V>> records = KafkaTestClients.consumeUntil(bootstrap, topic, done, TIMEOUT);
        assertThat(done.test(records)).as("expected records on %s, got %s", topic.name(), records).isTrue();
        return records;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
