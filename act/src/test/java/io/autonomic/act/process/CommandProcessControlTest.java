package io.autonomic.act.process;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandProcessControlTest {

    @TempDir
    Path dir;

    private static CommandProcessControl control(List<String> argv, Duration timeout) {
        return CommandProcessControl.of(Map.of("checkout", new CommandProcessControl.ProcessCommand(argv, timeout)));
    }

    @Test
    void restart_exitZero_succeeds() {
        assertThatCode(() -> control(List.of("true"), null).restart(Commands.resource(CHECKOUT, "checkout")))
                .doesNotThrowAnyException();
    }

    @Test
    void restart_nonZeroExit_failsWithCodeAndOutput() {
        CommandProcessControl control = control(List.of("sh", "-c", "echo unit checkout not found >&2; exit 5"), null);

        assertThatThrownBy(() -> control.restart(Commands.resource(CHECKOUT, "checkout")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exited with code 5")
                .hasMessageContaining("unit checkout not found");
    }

    @Test
    void restart_false_fails() {
        assertThatThrownBy(() -> control(List.of("false"), null).restart(Commands.resource(CHECKOUT, "checkout")))
                .hasMessageContaining("exited with code 1");
    }

    @Test
    void restart_timeout_killsAndFails() {
        CommandProcessControl control = control(List.of("sleep", "30"), Duration.ofMillis(200));
        long start = System.nanoTime();

        assertThatThrownBy(() -> control.restart(Commands.resource(CHECKOUT, "checkout")))
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void restart_argvIsPassedVerbatim_noShellInterpretation() throws Exception {
        Path marker = dir.resolve("marker");
        // a shell would create the marker; run without one, printf just prints the text
        control(List.of("printf", "%s", "; touch " + marker), null).restart(Commands.resource(CHECKOUT, "checkout"));

        assertThat(marker).doesNotExist();
    }

    @Test
    void restart_unconfiguredService_failsNamingIt() {
        assertThatThrownBy(() -> control(List.of("true"), null).restart(Commands.resource("process:h/cart", "cart")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cart'");
    }

    @Test
    void fromYaml_readsProcesses() throws Exception {
        Path file = dir.resolve("processes.yaml");
        Files.writeString(file, """
                processes:
                  checkout:
                    restart: ["systemctl", "restart", "checkout"]
                    timeout: 30s
                  cart:
                    restart: [true]
                """);

        CommandProcessControl control = CommandProcessControl.fromYaml(file);

        assertThat(control.processes().get("checkout").restart()).containsExactly("systemctl", "restart", "checkout");
        assertThat(control.processes().get("checkout").timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(control.processes().get("cart").timeout()).isEqualTo(CommandProcessControl.DEFAULT_TIMEOUT);
        control.restart(Commands.resource("process:h/cart", "cart"));
    }

    @Test
    void fromYaml_errors_nameFileLineAndField() throws IOException {
        Path unknownField = dir.resolve("unknown.yaml");
        Files.writeString(unknownField, """
                processes:
                  checkout:
                    restart: ["true"]
                    retsart: ["true"]
                """);
        assertThatThrownBy(() -> CommandProcessControl.fromYaml(unknownField))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown.yaml")
                .hasMessageContaining("line 4")
                .hasMessageContaining("retsart");

        Path emptyArgv = dir.resolve("empty.yaml");
        Files.writeString(emptyArgv, """
                processes:
                  checkout:
                    restart: []
                """);
        assertThatThrownBy(() -> CommandProcessControl.fromYaml(emptyArgv))
                .hasMessageContaining("line ")
                .hasMessageContaining("processes.checkout")
                .hasMessageContaining("non-empty list");

        Path badTimeout = dir.resolve("timeout.yaml");
        Files.writeString(badTimeout, """
                processes:
                  checkout:
                    restart: ["true"]
                    timeout: soon
                """);
        assertThatThrownBy(() -> CommandProcessControl.fromYaml(badTimeout)).hasMessageContaining("timeout 'soon'");

        Path noProcesses = dir.resolve("none.yaml");
        Files.writeString(noProcesses, "services: {}\n");
        assertThatThrownBy(() -> CommandProcessControl.fromYaml(noProcesses)).hasMessageContaining("services");
    }
}
