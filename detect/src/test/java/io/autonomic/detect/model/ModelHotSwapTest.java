package io.autonomic.detect.model;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.PAYMENTS;
import static io.autonomic.detect.TestPoints.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.DetectJob;
import io.autonomic.models.release.ModelPublisher;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.SharedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The detect job on a MiniCluster against the real in-process broker: a model published on the models topic scores
 * the stream, and a retrained version published later replaces it in the running job, which is never restarted.
 */
class ModelHotSwapTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String DISK_HOST = "process:host-2/disk-";
    private static final String DISK = "system.filesystem.utilization";

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
    void publishedVersion_scoresTheRunningJob_andARetrainedOneReplacesItWithoutRestart_thenForecastsToo()
            throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--checkpoint-interval", "1s",
                "--delivery", "at-least-once", "--model-score-interval", "1s", "--group-id-prefix", "swap-" + run));
        for (String id : List.of("enriched", "anomalies", "incidents", "commands", "health", "dead-letters",
                "models")) {
            args.add("--topic." + id + "=swap-" + run + "." + id);
        }
        Options options = Options.parse(args.toArray(String[]::new), DetectJob.options(),
                List.of(PipelineOptions.TOPIC_PREFIX));
        Topics topics = PipelineOptions.topics(options);
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.enrichedPoints(), topics.anomalies(), topics.incidents(),
                topics.commands(), topics.health(), topics.deadLetters(), topics.models()), 1, (short) 1);
        ModelRelease versionA = TestModels.release(TestModels.train("HOST_PROCESS", 11));
        ModelRelease versionB = TestModels.release(TestModels.train("HOST_PROCESS", 12));
        assertThat(versionB.getVersion()).isNotEqualTo(versionA.getVersion());
        ModelPublisher.publish(bootstrap, topics.models(), List.of(versionA), TIMEOUT);

        Configuration config = new Configuration();
        config.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // any failure would end the job: no silent restart
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        KafkaIO.configureCheckpointing(env, options);
        DetectJob.build(env, options);
        JobClient job = env.executeAsync("model-hot-swap-test");
        JobID jobId = job.getJobID();
        try (AnomalyReader anomalies = new AnomalyReader(bootstrap, topics.anomalies());
                PointWriter points = new PointWriter(bootstrap, topics.enrichedPoints())) {
            points.until(anomalies, read -> read.stream().anyMatch(a -> a.getModelVersion()
                    .equals(versionA.getVersion())));

            ModelPublisher.publish(bootstrap, topics.models(), List.of(versionB), TIMEOUT);
            points.until(anomalies, read -> read.stream().anyMatch(a -> a.getModelVersion()
                    .equals(versionB.getVersion())));
            long firstOfB = anomalies.read.stream().filter(a -> a.getModelVersion().equals(versionB.getVersion()))
                    .mapToLong(Anomaly::getTimestampMillis).min().orElseThrow();
            int beforeMore = anomalies.read.size();
            points.until(anomalies, read -> read.size() >= beforeMore + 3);

            List<Anomaly> read = anomalies.read;
            assertThat(read).extracting(a -> a.getResource().getId()).as("the healthy service").containsOnly(CHECKOUT);
            assertThat(read).extracting(Anomaly::getDetector).containsOnly("model:anomaly/HOST_PROCESS");
            assertThat(read).extracting(Anomaly::getModelVersion)
                    .containsOnly(versionA.getVersion(), versionB.getVersion());
            assertThat(read).filteredOn(a -> a.getTimestampMillis() >= firstOfB)
                    .as("once B scored, every later snapshot is scored by B")
                    .extracting(Anomaly::getModelVersion).containsOnly(versionB.getVersion());
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(job.getJobID()).isEqualTo(jobId);

            // the failure forecasts arrive on the same topic, into the same running job
            TestModels.ForecastModels forecast = TestModels.trainForecast(1);
            ModelPublisher.publish(bootstrap, topics.models(), List.of(forecast.classifierRelease(),
                    forecast.regressionRelease()), TIMEOUT);
            points.fillDisks(anomalies, at(points.second));

            List<Anomaly> forecasts = anomalies.read.stream()
                    .filter(a -> a.getDetector().equals(SeriesForecastFunction.DETECTOR)).toList();
            assertThat(forecasts).isNotEmpty().allSatisfy(a -> {
                assertThat(a.getModelVersion()).isEqualTo(forecast.classifier().modelVersion());
                assertThat(a.getAttributes()).containsEntry(
                        SeriesForecastFunction.TIME_TO_EXHAUSTION_VERSION_ATTRIBUTE,
                        forecast.regression().modelVersion());
                assertThat(a.getResource().getId()).startsWith(DISK_HOST);
            });
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(job.getJobID()).isEqualTo(jobId);
        } finally {
            job.cancel().get();
        }
    }

    /** Writes one scrape per round (checkout wedged, payments healthy), one second of event time apart. */
    private static final class PointWriter implements AutoCloseable {
        private final Topic<String, EnrichedPoint> topic;
        private final KafkaProducer<String, EnrichedPoint> producer;
        private int second;

        PointWriter(String bootstrap, Topic<String, EnrichedPoint> topic) {
            this.topic = topic;
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
        }

        /** Scrapes until {@code done} holds for the model anomalies read, failing after {@link #TIMEOUT}. */
        void until(AnomalyReader anomalies, Predicate<List<Anomaly>> done) {
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (!done.test(anomalies.read)) {
                assertThat(Instant.now()).as("model anomalies so far: %s", anomalies.read).isBefore(deadline);
                for (EnrichedPoint point : TestModels.wedgedSnapshot(CHECKOUT, at(second))) {
                    producer.send(new ProducerRecord<>(topic.name(), CHECKOUT, point));
                }
                for (EnrichedPoint point : TestModels.healthySnapshot(PAYMENTS, at(second))) {
                    producer.send(new ProducerRecord<>(topic.name(), PAYMENTS, point));
                }
                producer.flush();
                second++;
                anomalies.poll(Duration.ofMillis(200));
            }
        }

        /**
         * Writes disks filling at 1 %/min (10 s samples, 30 calm minutes first), a few minutes of event time per
         * round, until a forecast anomaly was read; a disk whose points all passed before the forecast release
         * reached the job is followed by another, failing after {@link #TIMEOUT}.
         */
        void fillDisks(AnomalyReader anomalies, long fromMillis) {
            Instant deadline = Instant.now().plus(TIMEOUT);
            int disk = 0;
            while (true) {
                List<EnrichedPoint> series = TestModels.utilization(DISK_HOST + disk, DISK, fromMillis,
                        TestModels.fillingDisk(disk, 30, 1.0));
                for (int i = 0; i < series.size(); i++) {
                    EnrichedPoint point = series.get(i);
                    producer.send(new ProducerRecord<>(topic.name(), point.getPoint().getResource().getId(), point));
                    if (i % 30 == 29 || i == series.size() - 1) {
                        producer.flush();
                        anomalies.poll(Duration.ofMillis(100));
                        if (anomalies.read.stream().anyMatch(a -> a.getDetector()
                                .equals(SeriesForecastFunction.DETECTOR))) {
                            return;
                        }
                        assertThat(Instant.now()).as("anomalies so far: %s", anomalies.read).isBefore(deadline);
                    }
                }
                fromMillis = series.get(series.size() - 1).getPoint().getTimestampMillis() + 10_000;
                disk++;
            }
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Reads the model anomalies of the anomalies topic as they arrive. */
    private static final class AnomalyReader implements AutoCloseable {
        final List<Anomaly> read = new ArrayList<>();
        private final KafkaConsumer<String, Anomaly> consumer;

        AnomalyReader(String bootstrap, Topic<String, Anomaly> topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
            List<TopicPartition> partitions = List.of(new TopicPartition(topic.name(), 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void poll(Duration duration) {
            consumer.poll(duration).forEach(record -> {
                if (record.value().getDetector().startsWith(ResourceModelScoringFunction.DETECTOR_PREFIX)) {
                    read.add(record.value());
                }
            });
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
