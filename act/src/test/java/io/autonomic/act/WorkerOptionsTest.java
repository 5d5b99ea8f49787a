package io.autonomic.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.Option;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerOptionsTest {

    @TempDir
    Path dir;

    @Test
    void everyDeclaredOption_isListedInAll_andDescribed() throws Exception {
        List<Option<?>> declared = new ArrayList<>();
        for (Field field : WorkerOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Option.class) {
                declared.add((Option<?>) field.get(null));
            }
        }
        assertThat(WorkerOptions.WORKER).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(WorkerOptions.ALL).containsAll(WorkerOptions.WORKER)
                .containsAll(io.autonomic.act.aws.AwsExecutors.OPTIONS)
                .containsAll(io.autonomic.act.k8s.KubernetesExecutors.OPTIONS)
                .containsAll(io.autonomic.act.notify.Notifiers.OPTIONS);
        assertThat(WorkerOptions.ALL).allSatisfy(o -> assertThat(o.description()).isNotBlank());
        assertThat(WorkerOptions.ALL.stream().map(Option::name).distinct()).hasSameSizeAs(WorkerOptions.ALL);
    }

    @Test
    void defaults_matchTheDocumentedOnes() {
        Options options = WorkerMain.parse(new String[0]);
        assertThat(options.get(WorkerOptions.AUDIT_FILE)).isEqualTo(Path.of("autonomic-data/audit.jsonl"));
        assertThat(options.get(WorkerOptions.LEDGER_FILE)).isEqualTo(Path.of("autonomic-data/ledger.jsonl"));
        assertThat(ActionWorker.guardConfig(options)).isEqualTo(io.autonomic.act.guard.GuardConfig.defaults());
        assertThat(ActionWorker.authenticator(options, java.time.Clock.systemUTC()).signing()).isFalse();
    }

    @Test
    void authenticator_withKeyFile_requiresSignaturesByDefault() throws Exception {
        Path key = Files.writeString(dir.resolve("worker.key"), "00112233445566778899aabbccddeeff\n");

        var strict = ActionWorker.authenticator(options(Map.of("signing-key-file", key.toString())),
                java.time.Clock.systemUTC());
        var lenient = ActionWorker.authenticator(options(Map.of("signing-key-file", key.toString(),
                "require-signatures", "false")), java.time.Clock.systemUTC());

        assertThat(strict.signing()).isTrue();
        assertThat(strict.requiresSignatures()).isTrue();
        assertThat(lenient.requiresSignatures()).isFalse();
    }

    private static Options options(Map<String, String> values) {
        return Options.of(values, WorkerOptions.ALL);
    }

    @Test
    void fromOptions_badValues_failFastNamingTheOption() throws Exception {
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("max-attempts-per-hour", "0"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--max-attempts-per-hour");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("allowed-dir", dir + "/missing"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--allowed-dir").hasMessageContaining("missing");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("process-config", dir + "/nope.yaml"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--process-config");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("escalation-webhook", "ftp://example"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--escalation-webhook");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("cooldown", "soon"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--cooldown");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("signing-key-file", dir + "/absent.key"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--signing-key-file").hasMessageContaining("absent.key");
        Path shortKey = Files.writeString(dir.resolve("short.key"), "c0ffee");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("signing-key-file", shortKey.toString()))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--signing-key-file")
                .hasMessageNotContaining("c0ffee");
        Path key = Files.writeString(dir.resolve("good.key"), "00112233445566778899aabbccddeeff");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of("signing-key-file", key.toString(),
                "signature-window", "0s"))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--signature-window");
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> ActionWorker.fromOptions(options(Map.of(
                "ledger-file", notADirectory.resolve("ledger.jsonl").toString()))))
                .isInstanceOf(OptionException.class).hasMessageContaining("--ledger-file");
    }

    @Test
    void main_configurationError_exitsWithStatus2_namingOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = WorkerMain.run(new String[] {"--max-atempts-per-hour", "2"}, new PrintStream(out),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--max-atempts-per-hour").contains("--cooldown");
    }

    @Test
    void main_help_printsUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = WorkerMain.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--allowed-dir", "--process-config", "--dry-run",
                "--topic.<id>");
    }
}
