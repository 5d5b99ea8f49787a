package io.autonomic.models.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainDiagnosisTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void run_onAHistoryFile_printsTheEvaluationAndWritesTheReleaseWithProvenance(@TempDir Path dir)
            throws IOException {
        Path history = dir.resolve("incidents.jsonl");
        SeedHistory.write(history, SeedHistory.generate(5, 8));

        int exit = TrainDiagnosis.run(new String[] {"--history", history.toString(), "--output",
                dir.resolve("models").toString()}, out);

        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("136 incidents, 16 types", "held-out accuracy:", "precision", "recall",
                "db-degradation", "model diagnosis version");
        assertThat(dir.resolve("models/diagnosis.model")).exists();
        assertThat(dir.resolve("models/diagnosis.provenance.txt")).exists();
        assertThat(DiagnosisModel.load(dir.resolve("models")).predict(IncidentSignature.of(
                java.util.List.of("signal:db.server.io.error_ratio", "detector:rule:db-io-errors", "layer:DATA")))
                .incidentType()).isEqualTo("db-degradation");
    }

    @Test
    void run_usageErrors_exit2WithTheReason(@TempDir Path dir) throws IOException {
        assertThat(TrainDiagnosis.run(new String[] {"--history", "x.jsonl"}, out)).isEqualTo(2);
        assertThat(TrainDiagnosis.run(new String[] {"--output", "o", "--holdout", "1.5"}, out)).isEqualTo(2);
        assertThat(TrainDiagnosis.run(new String[] {"--bogus", "1"}, out)).isEqualTo(2);
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"id\":\"a\",\"incidentType\":\"x\",\"signature\":[\"s\"]}\nnope\n");
        assertThat(TrainDiagnosis.run(new String[] {"--history", bad.toString(), "--output", dir.toString()}, out))
                .isEqualTo(2);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("--output is required",
                "--holdout must be in (0, 1)", "unknown option --bogus", "bad.jsonl:2: not a past incident");
    }
}
