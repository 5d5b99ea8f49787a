package io.autonomic.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.models.features.FeatureExtractor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceAnomalyModelTest {

    private static final FeatureExtractor FEATURES = FeatureExtractor.of(List.of("cpu", "latency_ms", "error_ratio"));

    @TempDir
    Path dir;

    /** A healthy process: CPU and latency correlated, few errors. Seeded. */
    private static List<Map<String, Double>> healthy(long seed, int n) {
        Random random = new Random(seed);
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double load = random.nextDouble();
            rows.add(Map.of("cpu", 0.2 + 0.5 * load + 0.02 * random.nextGaussian(),
                    "latency_ms", 40 + 30 * load + 2 * random.nextGaussian(),
                    "error_ratio", Math.abs(0.002 * random.nextGaussian())));
        }
        return rows;
    }

    @Test
    void score_unusualCombination_isAnomalousWhileHealthyRowsAreNot() {
        ResourceAnomalyModel model = ResourceAnomalyModel.train("host-process", FEATURES, healthy(1, 400), 0.01,
                Train.DEFAULT_GAMMA, "synthetic");
        // high latency at low CPU: each value alone is within its range, the combination is not
        Map<String, Double> stuck = Map.of("cpu", 0.25, "latency_ms", 69.0, "error_ratio", 0.001);

        ResourceAnomalyModel.Scored anomalous = model.score(stuck);
        long flaggedHealthy = healthy(2, 200).stream().filter(r -> model.score(r).anomalous()).count();

        assertThat(anomalous.anomalous()).isTrue();
        assertThat(anomalous.score()).isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(anomalous.modelVersion()).hasSize(12).isEqualTo(model.version());
        assertThat(flaggedHealthy).as("fresh healthy rows flagged").isLessThanOrEqualTo(10);
    }

    @Test
    void saveAndLoad_roundTrip_scoresIdenticallyWithTheSameVersionAndKeepsProvenance() throws Exception {
        ResourceAnomalyModel model = ResourceAnomalyModel.train("host-process", FEATURES, healthy(3, 200), 0.01,
                Train.DEFAULT_GAMMA, "synthetic");
        model.save(dir);

        ResourceAnomalyModel loaded = ResourceAnomalyModel.load(dir, "host-process");

        assertThat(loaded.version()).isEqualTo(model.version());
        assertThat(loaded.features()).isEqualTo(FEATURES);
        for (Map<String, Double> row : healthy(4, 20)) {
            assertThat(loaded.score(row).decision()).isEqualTo(model.score(row).decision());
        }
        assertThat(Files.readString(dir.resolve("host-process.provenance.txt")))
                .contains("LibSVMAnomalyTrainer").contains("synthetic");
    }

    @Test
    void train_tooFewRows_failsSayingHowMany() {
        assertThatThrownBy(() -> ResourceAnomalyModel.train("k", FEATURES, healthy(5, 3), 0.01,
                Train.DEFAULT_GAMMA, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
    }

    @Test
    void run_labeledCsv_trainsOnNormalRowsSavesAndPrintsEvaluation() throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,cpu,latency_ms,error_ratio,label\n");
        int t = 0;
        for (Map<String, Double> row : healthy(6, 300)) {
            csv.append(t++).append(',').append(row.get("cpu")).append(',').append(row.get("latency_ms")).append(',')
                    .append(row.get("error_ratio")).append(",0\n");
        }
        for (int i = 0; i < 10; i++) {
            csv.append(t++).append(",0.3,").append(150 + i).append(",0.3,1\n");
        }
        Path input = Files.writeString(dir.resolve("signals.csv"), csv);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exit = Train.run(new String[] {"--input", input.toString(), "--kind", "host-process", "--output",
                dir.resolve("models").toString()}, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(dir.resolve("models/host-process.model")).exists();
        assertThat(output).contains("on 300 normal rows of 3 signals").contains("anomalous rows flagged 10/10");
    }

    @Test
    void run_missingKind_isAUsageError() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int exit = Train.run(new String[] {"--input", "x.csv", "--output", "m"},
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--kind is required");
    }
}
