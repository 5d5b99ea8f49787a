package io.autonomic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.DetectJob;
import io.autonomic.detect.diagnosis.ClassifierDiagnoser;
import io.autonomic.detect.model.ModelReleaseSource;
import io.autonomic.schemas.avro.ModelRelease;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code autonomic train}: each model word reaches its trainer, and detect reads what they write. */
class TrainCommandTest {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private String printed() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainDiagnosis_writesTheClassifierDetectLoadsFromItsModelsDir(@TempDir Path models) {
        int exit = TrainCommand.run(List.of("diagnosis", "--output", models.toString()), out);

        assertThat(exit).as(printed()).isZero();
        assertThat(printed()).contains("accuracy");
        ClassifierDiagnoser loaded = ClassifierDiagnoser.fromModelsDirOrSeed(models);
        assertThat(printed()).contains(loaded.version());
        assertThat(loaded.version()).isNotEqualTo(ClassifierDiagnoser.fromSeedHistory().version());
    }

    @Test
    void trainForecast_writesBothForecastReleasesIntoTheModelsDir(@TempDir Path models) {
        int exit = TrainCommand.run(List.of("forecast", "--output", models.toString(), "--scenarios", "20",
                "--seed", "5"), out);

        assertThat(exit).as(printed()).isZero();
        List<ModelRelease> releases = ModelReleaseSource.initial(models, DetectJob.MODELS_DIR.name());
        assertThat(releases).extracting(release -> release.getModelName().toString())
                .contains("forecast/fails-within", "forecast/time-to-exhaustion");
    }

    @Test
    void train_withoutModelWord_isTheAnomalyTrainer() {
        int exit = TrainCommand.run(List.of("--kind", "HOST_PROCESS"), out);

        assertThat(exit).isEqualTo(2);
        assertThat(printed()).contains("--input FILE or --topic points|enriched is required")
                .contains("--kind KIND");
    }

    @Test
    void trainAnomaly_onRecordedPoints_writesTheReleaseDetectLoadsFromItsModelsDir(@TempDir Path dir)
            throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,resource,kind,metric,type,value\n");
        double requests = 0;
        for (int i = 0; i < 40; i++) {
            long seconds = 1_767_225_600L + i * 15L;
            requests += 300 + (i * 37) % 50;
            csv.append(seconds).append(",pod:shop/cart-1,K8S_POD,k8s.pod.cpu.utilization,gauge,")
                    .append(0.2 + (i % 7) * 0.01).append('\n');
            csv.append(seconds).append(",pod:shop/cart-1,K8S_POD,http.server.request.count,counter,")
                    .append(requests).append('\n');
        }
        Path recording = Files.writeString(dir.resolve("recording.csv"), csv);
        Path models = dir.resolve("models");

        int exit = TrainCommand.run(List.of("anomaly", "--input", recording.toString(), "--kind", "k8s-pod",
                "--output", models.toString()), out);

        assertThat(exit).as(printed()).isZero();
        assertThat(printed()).contains("1 of 1 resources selected (kind K8S_POD)");
        List<ModelRelease> releases = ModelReleaseSource.initial(models, DetectJob.MODELS_DIR.name());
        assertThat(releases).singleElement().satisfies(release -> {
            assertThat(release.getModelName().toString()).isEqualTo("anomaly/K8S_POD");
            assertThat(release.getSignals()).extracting(Object::toString)
                    .containsExactly("http.server.request.count", "k8s.pod.cpu.utilization");
        });
    }

    @Test
    void train_unknownModel_failsNamingTheKnownOnes() {
        assertThat(TrainCommand.run(List.of("weather"), out)).isEqualTo(2);
        assertThat(printed()).contains("weather").contains("anomaly, forecast, diagnosis");
    }

    @Test
    void trainForecast_publishWithoutValue_failsNamingTheOption() {
        assertThat(TrainCommand.run(List.of("forecast", "--output", "x", "--publish"), out)).isEqualTo(2);
        assertThat(printed()).contains("--publish needs a value");
    }
}
