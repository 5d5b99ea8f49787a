package io.autonomic.models.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.ModelRelease;
import java.nio.ByteBuffer;
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
        assertThat(loaded.modelName()).isEqualTo("anomaly/HOST_PROCESS");
        assertThat(Files.readString(dir.resolve("anomaly_HOST_PROCESS.provenance.txt")))
                .contains("LibSVMAnomalyTrainer").contains("synthetic");
    }

    @Test
    void fromRelease_roundTripsThroughTheReleaseWithItsVersion() {
        ResourceAnomalyModel model = ResourceAnomalyModel.train("K8S_POD", FEATURES, healthy(7, 200), 0.01,
                Train.DEFAULT_GAMMA, "synthetic");

        ModelRelease release = model.release(1_000L, Map.of("trainedOn", "synthetic"));
        ResourceAnomalyModel live = ResourceAnomalyModel.fromRelease(release);

        assertThat(release.getModelName()).isEqualTo("anomaly/K8S_POD");
        assertThat(release.getFamily()).isEqualTo(ResourceAnomalyModel.FAMILY);
        assertThat(release.getVersion()).isEqualTo(model.version());
        assertThat(release.getSignals()).containsExactlyElementsOf(FEATURES.signals());
        assertThat(live.version()).isEqualTo(model.version());
        Map<String, Double> row = healthy(8, 1).get(0);
        assertThat(live.score(row).decision()).isEqualTo(model.score(row).decision());
    }

    @Test
    void fromRelease_tamperedPayloadOrWrongFamily_failsNamingTheModel() {
        ModelRelease release = ResourceAnomalyModel.train("HOST", FEATURES, healthy(9, 100), 0.01,
                Train.DEFAULT_GAMMA, "synthetic").release(0, Map.of());
        ModelRelease garbage = ModelRelease.newBuilder(release).setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setVersion(ModelReleases.versionOf(new byte[] {1, 2, 3})).build();
        ModelRelease mislabeled = ModelRelease.newBuilder(release).setVersion("000000000000").build();
        ModelRelease otherFamily = ModelRelease.newBuilder(release).setFamily("failure-forecast").build();

        assertThatThrownBy(() -> ResourceAnomalyModel.fromRelease(garbage))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anomaly/HOST")
                .hasMessageContaining("does not deserialize");
        assertThatThrownBy(() -> ResourceAnomalyModel.fromRelease(mislabeled))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claims version 000000000000");
        assertThatThrownBy(() -> ResourceAnomalyModel.fromRelease(otherFamily))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family failure-forecast");
    }

    @Test
    void mostDeviating_namesTheSignalFurthestFromTraining() {
        ResourceAnomalyModel model = ResourceAnomalyModel.train("HOST_PROCESS", FEATURES, healthy(10, 300), 0.01,
                Train.DEFAULT_GAMMA, "synthetic");

        List<ResourceAnomalyModel.Deviation> top = model.mostDeviating(
                Map.of("cpu", 0.45, "latency_ms", 55.0, "error_ratio", 0.4), 2);

        assertThat(top).hasSize(2);
        assertThat(top.get(0).signal()).isEqualTo("error_ratio");
        assertThat(top.get(0).standardized()).isGreaterThan(10);
        assertThat(Math.abs(top.get(1).standardized())).isLessThan(Math.abs(top.get(0).standardized()));
    }

    @Test
    void canonicalKind_acceptsKindNamesAndDefaultAndRejectsTheRest() {
        assertThat(ResourceAnomalyModel.canonicalKind("host-process")).isEqualTo("HOST_PROCESS");
        assertThat(ResourceAnomalyModel.canonicalKind("Default")).isEqualTo("default");
        assertThatThrownBy(() -> ResourceAnomalyModel.canonicalKind("database"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOST_PROCESS");
    }

    @Test
    void train_tooFewRows_failsSayingHowMany() {
        assertThatThrownBy(() -> ResourceAnomalyModel.train("HOST", FEATURES, healthy(5, 3), 0.01,
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
        assertThat(dir.resolve("models/anomaly_HOST_PROCESS.model")).exists();
        assertThat(dir.resolve("models/anomaly_HOST_PROCESS.release")).content().contains("family=anomaly");
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
