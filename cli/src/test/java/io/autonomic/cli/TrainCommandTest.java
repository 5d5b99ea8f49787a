package io.autonomic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.DetectJob;
import io.autonomic.detect.diagnosis.ClassifierDiagnoser;
import io.autonomic.detect.model.ModelReleaseSource;
import io.autonomic.schemas.avro.ModelRelease;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        assertThat(printed()).contains("--input is required").contains("--kind KIND");
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
