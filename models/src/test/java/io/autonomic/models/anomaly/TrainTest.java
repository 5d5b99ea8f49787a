package io.autonomic.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.models.features.SignalValues;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train anomaly} on recorded telemetry: files of points, JSON lines and a replayed topic. */
class TrainTest {

    private static final long START_SECONDS = 1_767_225_600L;
    private static final int SCRAPE_SECONDS = 15;
    private static final String CPU = "process.cpu.utilization";
    private static final String REQUESTS = "http.server.request.count";
    private static final String POD_MEMORY = "k8s.pod.memory.working_set";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    /** One scrape of a recorded resource: its kind, time, cpu gauge and cumulative request count. */
    private record Scrape(String resource, String kind, long seconds, double cpu, double requests, int label) {
    }

    /**
     * Two processes scraped every 15 s for 100 scrapes, the request counter of host-1 reset once (a restart), the
     * last 8 scrapes of host-2 labeled anomalous (cpu and request rate far off); one pod, of another kind, with its
     * own metric.
     */
    private static List<Scrape> scrapes() {
        Random random = new Random(7);
        List<Scrape> scrapes = new ArrayList<>();
        for (String resource : List.of("process:host-1/api", "process:host-2/api")) {
            double requests = 1_000;
            for (int i = 0; i < 100; i++) {
                boolean anomalous = resource.endsWith("host-2/api") && i >= 92;
                requests += anomalous ? 30_000 + random.nextInt(1_000) : 300 + random.nextInt(60);
                if (resource.endsWith("host-1/api") && i == 50) {
                    requests = 120; // the process restarted: the counter starts over
                }
                double cpu = anomalous ? 0.97 : 0.30 + 0.05 * random.nextGaussian();
                scrapes.add(new Scrape(resource, "host-process", START_SECONDS + (long) i * SCRAPE_SECONDS, cpu,
                        requests, anomalous ? 1 : 0));
            }
        }
        for (int i = 0; i < 100; i++) {
            scrapes.add(new Scrape("pod:default/web-1", "K8S_POD", START_SECONDS + (long) i * SCRAPE_SECONDS,
                    Double.NaN, Double.NaN, 0));
        }
        return scrapes;
    }

    private Path pointsCsv(List<Scrape> scrapes, boolean withKind) throws Exception {
        StringBuilder csv = new StringBuilder(withKind ? "timestamp,resource,kind,metric,type,value,label\n"
                : "timestamp,resource,metric,type,value,label\n");
        String kind = "";
        for (Scrape s : scrapes) {
            if (withKind) {
                kind = s.kind() + ",";
            }
            if (Double.isNaN(s.cpu())) {
                csv.append(s.seconds()).append(',').append(s.resource()).append(',').append(kind).append(POD_MEMORY)
                        .append(",gauge,").append(2e8 + s.seconds() % 7).append(',').append(s.label()).append('\n');
                continue;
            }
            csv.append(s.seconds()).append(',').append(s.resource()).append(',').append(kind).append(CPU)
                    .append(",gauge,").append(s.cpu()).append(',').append(s.label()).append('\n');
            csv.append(s.seconds()).append(',').append(s.resource()).append(',').append(kind).append(REQUESTS)
                    .append(",counter,").append(s.requests()).append(',').append(s.label()).append('\n');
        }
        return Files.writeString(dir.resolve(withKind ? "points.csv" : "points-without-kind.csv"), csv);
    }

    /** The request rates of one resource, as the shared counter code reads its readings in order. */
    private static List<Double> ratesOf(List<Scrape> scrapes, String resource) {
        List<Double> rates = new ArrayList<>();
        SignalValues.Reading reading = null;
        for (Scrape s : scrapes) {
            if (s.resource().equals(resource)) {
                reading = SignalValues.next(reading, s.seconds() * 1000, s.requests(), true);
                rates.add(reading.hasValue() ? reading.value() : null);
            }
        }
        return rates;
    }

    private int train(String... args) {
        return Train.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pointsCsv_twoKinds_trainsTheSelectedKindOnCounterRates() throws Exception {
        List<Scrape> scrapes = scrapes();
        Path csv = pointsCsv(scrapes, true);
        Path models = dir.resolve("models");

        int exit = train("--input", csv.toString(), "--kind", "host-process", "--output", models.toString());

        assertThat(exit).as(output()).isZero();
        assertThat(output()).contains("2 of 3 resources selected (kind HOST_PROCESS)")
                .contains("2 signals (in at least 90% of the snapshots): " + REQUESTS)
                .contains("anomalous rows flagged 8/8").doesNotContain(POD_MEMORY + " ");
        assertThat(models.resolve("anomaly_HOST_PROCESS.signals")).content().contains(CPU).contains(REQUESTS)
                .doesNotContain(POD_MEMORY);
        assertThat(models.resolve("anomaly_HOST_PROCESS.provenance.txt")).content().contains(csv.toString());
    }

    @Test
    void pointsCsv_snapshotsHoldTheRatesTheSharedCounterCodeComputes() throws Exception {
        List<Scrape> scrapes = scrapes();
        Path csv = pointsCsv(scrapes, true);
        Train.Options options = Train.Options.parse(new String[] {"--input", csv.toString(), "--kind",
                "HOST_PROCESS", "--output", dir.resolve("m").toString(), "--resources", "process:host-1/.*"});

        Train.TrainingSet set = Train.load(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        List<Double> expected = ratesOf(scrapes, "process:host-1/api");
        assertThat(set.rows()).hasSize(100);
        List<Double> trained = set.rows().stream().map(r -> r.signals().get(REQUESTS)).toList();
        assertThat(trained).containsExactlyElementsOf(expected);
        assertThat(trained.get(0)).as("a counter's first reading has no rate").isNull();
        assertThat(trained.get(50)).as("nor has a reset").isNull();
        assertThat(trained.get(51)).isBetween(300.0 / SCRAPE_SECONDS, 360.0 / SCRAPE_SECONDS);
        assertThat(set.rows().get(10).signals().get(CPU)).isEqualTo(scrapes.get(10).cpu());
    }

    @Test
    void pointsCsvWithoutKind_needsResources() throws Exception {
        Path csv = pointsCsv(scrapes(), false);

        int exit = train("--input", csv.toString(), "--kind", "host-process", "--output", dir.resolve("m").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(output()).contains("holds no resources of kind HOST_PROCESS")
                .contains("3 of its 3 resources carry no kind").contains("--resources REGEX");

        printed.reset();
        exit = train("--input", csv.toString(), "--kind", "host-process", "--output", dir.resolve("m").toString(),
                "--resources", "process:.*", "--signals", CPU + "," + REQUESTS, "--bucket", "30s");

        assertThat(exit).as(output()).isZero();
        assertThat(output()).contains("2 of 3 resources selected (kind HOST_PROCESS, id matching process:.*)")
                .contains("100 snapshots of 30 s").contains("2 signals (--signals)");
    }

    @Test
    void jsonLines_readsKindAndCounterTypeFromThePoints() throws Exception {
        StringBuilder jsonl = new StringBuilder();
        Random random = new Random(3);
        double count = 0;
        for (int i = 0; i < 60; i++) {
            long millis = (START_SECONDS + i * 10L) * 1000;
            count += 50 + random.nextInt(10);
            jsonl.append(point("pod:shop/cart-1", ResourceKind.K8S_POD, "k8s.pod.network.io", MetricType.SUM,
                    Temporality.CUMULATIVE, true, millis, count)).append('\n');
            jsonl.append(point("pod:shop/cart-1", ResourceKind.K8S_POD, "k8s.pod.cpu.utilization", MetricType.GAUGE,
                    Temporality.UNSPECIFIED, false, millis, 0.2 + 0.01 * random.nextGaussian())).append('\n');
            jsonl.append(point("host-9", ResourceKind.HOST, "system.cpu.utilization", MetricType.GAUGE,
                    Temporality.UNSPECIFIED, false, millis, 0.5)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("points.jsonl"), jsonl);
        Train.Options options = Train.Options.parse(new String[] {"--input", file.toString(), "--kind", "k8s-pod",
                "--output", dir.resolve("m").toString(), "--bucket", "10s"});

        Train.TrainingSet set = Train.load(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(set.signals()).containsExactly("k8s.pod.cpu.utilization", "k8s.pod.network.io");
        assertThat(set.rows()).hasSize(60);
        assertThat(set.rows().get(0).signals()).doesNotContainKey("k8s.pod.network.io");
        assertThat(set.rows().subList(1, 60)).allSatisfy(row -> assertThat(row.signals().get("k8s.pod.network.io"))
                .as("per-second rate of 50..59 per 10 s").isBetween(5.0, 5.9));
        assertThat(train("--input", file.toString(), "--kind", "k8s-pod", "--output", dir.resolve("m").toString(),
                "--bucket", "10s")).as(output()).isZero();
        assertThat(dir.resolve("m/anomaly_K8S_POD.model")).exists();
    }

    @Test
    void pointsTopic_replayedFromKafka_trainsTheModel() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String topicName = "models.points.train-anomaly";
        Topics topics = Topics.withOverrides(Map.of("points", topicName));
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.points()), 2, (short) 1);
        List<ProducerRecord<String, TelemetryPoint>> records = new ArrayList<>();
        for (Scrape s : scrapes()) {
            if (Double.isNaN(s.cpu())) {
                continue;
            }
            records.add(new ProducerRecord<>(topicName, s.resource(), point(s.resource(), ResourceKind.HOST_PROCESS,
                    CPU, MetricType.GAUGE, Temporality.UNSPECIFIED, false, s.seconds() * 1000, s.cpu())));
            records.add(new ProducerRecord<>(topicName, s.resource(), point(s.resource(), ResourceKind.HOST_PROCESS,
                    REQUESTS, MetricType.SUM, Temporality.CUMULATIVE, true, s.seconds() * 1000, s.requests())));
        }
        KafkaTestClients.produce(bootstrap, topics.points(), records);

        int exit = train("--topic", "points", "--bootstrap-servers", bootstrap, "--topic-name", topicName, "--kind",
                "HOST_PROCESS", "--output", dir.resolve("m").toString());

        assertThat(exit).as(output()).isZero();
        assertThat(output()).contains("topic " + topicName).contains("2 of 2 resources selected")
                .contains("200 snapshots of 15 s");
        assertThat(dir.resolve("m/anomaly_HOST_PROCESS.provenance.txt")).content().contains("topic " + topicName);
    }

    @Test
    void errors_nameTheOptionOrTheLine() throws Exception {
        Path csv = pointsCsv(scrapes(), true);
        String output = dir.resolve("m").toString();

        assertThat(train("--input", csv.toString(), "--kind", "k8s-node", "--output", output)).isEqualTo(2);
        assertThat(output()).contains("--input " + csv + " holds no resources of kind K8S_NODE")
                .contains("kinds recorded: [HOST_PROCESS, K8S_POD]");

        printed.reset();
        assertThat(train("--input", csv.toString(), "--kind", "weather", "--output", output)).isEqualTo(2);
        assertThat(output()).contains("unknown resource kind 'weather'").contains("usage: train");

        printed.reset();
        assertThat(train("--kind", "host-process", "--output", output)).isEqualTo(2);
        assertThat(output()).contains("--input FILE or --topic points|enriched is required");

        printed.reset();
        assertThat(train("--input", csv.toString(), "--kind", "host-process", "--output", output, "--signals",
                "nope")).isEqualTo(2);
        assertThat(output()).contains("--signals: nope is in no snapshot");

        printed.reset();
        Path bad = Files.writeString(dir.resolve("bad.csv"), "timestamp,resource,metric,type,value\n"
                + "1767225600,host-1,cpu,gauge,0.5\n1767225615,host-1,cpu,histogram,0.5\n");
        assertThat(train("--input", bad.toString(), "--kind", "host-process", "--output", output)).isEqualTo(2);
        assertThat(output()).contains("bad.csv:3").contains("type must be counter, gauge or sum");

        printed.reset();
        Path wide = Files.writeString(dir.resolve("wide.csv"), "timestamp,cpu,label\n0,0.5,0\n");
        assertThat(train("--input", wide.toString(), "--kind", "host-process", "--output", output, "--resources",
                "x.*")).isEqualTo(2);
        assertThat(output()).contains("--resources and --bucket apply to recorded telemetry");

        printed.reset();
        assertThat(train("--input", dir.resolve("absent.csv").toString(), "--kind", "host-process", "--output",
                output)).isEqualTo(1);
        assertThat(output()).contains("cannot read the input");
    }

    private static TelemetryPoint point(String resource, ResourceKind kind, String metric, MetricType type,
            Temporality temporality, boolean monotonic, long millis, double value) {
        return TelemetryPoint.newBuilder()
                .setResource(Resource.newBuilder().setId(resource).setKind(kind).build())
                .setMetric(metric).setType(type).setTemporality(temporality).setMonotonic(monotonic)
                .setSeriesKey(resource + "/" + metric).setTimestampMillis(millis).setValue(value).build();
    }
}
