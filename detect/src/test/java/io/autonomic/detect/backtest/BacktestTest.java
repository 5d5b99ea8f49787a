package io.autonomic.detect.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.TestPoints;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.EnrichedPoint;
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
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** 300 noisy points around 50 with a labeled spike run at 200..202. */
    private static String labeledSeries(long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("timestamp,value,label\n");
        for (int i = 0; i < 300; i++) {
            boolean fault = i >= 200 && i < 203;
            double value = fault ? 120 : 50 + 2 * random.nextGaussian();
            csv.append(1_700_000_000L + 60L * i).append(',').append(value).append(',').append(fault ? 1 : 0)
                    .append('\n');
        }
        return csv.toString();
    }

    @Test
    void run_singleLabeledFile_writesOneScoredRowPerInputAndPrintsMetrics() throws Exception {
        Path input = Files.writeString(dir.resolve("in.csv"), labeledSeries(1));
        Path output = dir.resolve("scores.csv");

        int exit = Backtest.run(new String[] {"--input", input.toString(), "--output", output.toString()}, out);

        assertThat(exit).isZero();
        List<String> lines = Files.readAllLines(output);
        assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,label");
        assertThat(lines).hasSize(301);
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> {
            double score = Double.parseDouble(line.split(",")[2]);
            assertThat(score).isBetween(0.0, 1.0);
        });
        assertThat(Double.parseDouble(lines.get(201).split(",")[2])).as("the spike scores").isPositive();
        String summary = printed.toString(StandardCharsets.UTF_8);
        assertThat(summary).contains("windows=1 detected=1").contains("falseAlarms=0")
                .contains("point-adjusted P=1.000 R=1.000 F1=1.000").contains("best point-adjusted F1=");
    }

    @Test
    void run_directoryAndFile_mirrorsOutputsUnderTheOutputDirectory() throws Exception {
        Path inputs = Files.createDirectories(dir.resolve("inputs/nested"));
        Files.writeString(dir.resolve("inputs/a.csv"), labeledSeries(2));
        Files.writeString(inputs.resolve("b.csv"), labeledSeries(3));
        Path extra = Files.writeString(dir.resolve("c.csv"), "2026-01-01T00:00:00Z,1\n2026-01-01T00:01:00Z,2\n");
        Path output = dir.resolve("out");

        int exit = Backtest.run(new String[] {"--input", dir.resolve("inputs").toString(), "--input",
                extra.toString(), "--output", output.toString()}, out);

        assertThat(exit).isZero();
        assertThat(output.resolve("a.csv")).exists();
        assertThat(output.resolve("nested/b.csv")).exists();
        assertThat(Files.readAllLines(output.resolve("c.csv"))).containsExactly("timestamp,value,anomaly_score",
                "2026-01-01T00:00:00Z,1.0,0.000000", "2026-01-01T00:01:00Z,2.0,0.000000");
    }

    @Test
    void run_missingOutput_isAUsageError() {
        int exit = Backtest.run(new String[] {"--input", "x.csv"}, out);

        assertThat(exit).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--output is required").contains("usage:");
    }

    @Test
    void run_recordedTopic_scoresOnlyTheRequestedSeriesInArrivalOrder() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String name = "backtest-test-" + UUID.randomUUID().toString().substring(0, 8) + ".enriched";
        Topics topics = Topics.withOverrides(Map.of("enriched", name));
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.enrichedPoints()), 1, (short) 1);
        Random random = new Random(4);
        List<ProducerRecord<String, EnrichedPoint>> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            double value = i == 80 ? 500 : 50 + random.nextGaussian();
            records.add(record(name, TestPoints.gauge(TestPoints.CHECKOUT, TestPoints.LATENCY, TestPoints.at(i),
                    value)));
            records.add(record(name, TestPoints.gauge(TestPoints.PAYMENTS, TestPoints.LATENCY, TestPoints.at(i),
                    1)));
        }
        KafkaTestClients.produce(bootstrap, topics.enrichedPoints(), records);
        String seriesKey = TestPoints.seriesKey(TestPoints.CHECKOUT, TestPoints.LATENCY, Map.of());
        Path output = dir.resolve("topic.csv");

        int exit = Backtest.run(new String[] {"--topic", name, "--bootstrap-servers", bootstrap, "--series-key",
                seriesKey, "--output", output.toString()}, out);

        assertThat(exit).isZero();
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).hasSize(101);
        assertThat(Double.parseDouble(lines.get(81).split(",")[2])).isPositive();
        assertThat(lines.get(1)).startsWith("2026-01-01T00:00:00Z,");
    }

    @Test
    void asScored_cumulativeCounter_becomesItsRateLikeTheLiveJob() {
        List<io.autonomic.schemas.avro.TelemetryPoint> points = List.of(
                TestPoints.counter(TestPoints.CHECKOUT, TestPoints.REQUEST_COUNT, TestPoints.at(0), 100).getPoint(),
                TestPoints.counter(TestPoints.CHECKOUT, TestPoints.REQUEST_COUNT, TestPoints.at(10), 150).getPoint(),
                TestPoints.counter(TestPoints.CHECKOUT, TestPoints.REQUEST_COUNT, TestPoints.at(20), 5).getPoint(),
                TestPoints.counter(TestPoints.CHECKOUT, TestPoints.REQUEST_COUNT, TestPoints.at(30), 25).getPoint());

        List<SeriesRow> rows = Backtest.asScored(points);

        assertThat(rows).extracting(SeriesRow::value).containsExactly(Double.NaN, 5.0, Double.NaN, 2.0);
    }

    private static ProducerRecord<String, EnrichedPoint> record(String topic, EnrichedPoint point) {
        return new ProducerRecord<>(topic, point.getPoint().getResource().getId(), point);
    }
}
