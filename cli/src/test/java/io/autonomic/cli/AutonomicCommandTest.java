package io.autonomic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutonomicCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void demoList_namesEveryScenario() {
        int exit = Autonomic.execute("demo", "--list");
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("service-5xx").contains("disk-fill");
    }

    @Test
    void demo_unknownScenario_failsNamingIt() {
        int exit = Autonomic.execute("demo", "--scenario", "meteor-strike");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("meteor-strike").contains("service-5xx");
    }

    @Test
    void topologyValidate_typo_failsWithLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topology.yaml");
        Files.writeString(file, "services:\n  checkout:\n    layer: application\n    ownr: team-a\n");
        int exit = Autonomic.execute("topology", "validate", file.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ownr").contains(":4:");
    }

    @Test
    void topologyValidate_validFile_passes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topology.yaml");
        Files.writeString(file, "services:\n  checkout:\n    layer: application\n    owner: team-a\n");
        assertThat(Autonomic.execute("topology", "validate", file.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 service(s), valid");
    }

    @Test
    void job_unknownJob_failsNamingIt() {
        assertThat(Autonomic.execute("job", "forecast")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("forecast");
    }
}
