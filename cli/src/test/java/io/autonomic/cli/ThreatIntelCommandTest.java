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

class ThreatIntelCommandTest {

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
    void validate_goodFiles_reportTheirEntries(@TempDir Path dir) throws Exception {
        Path block = Files.writeString(dir.resolve("block.csv"), "cidr,list,reputation\n203.0.113.0/24,botnet-a,0.9\n");
        Path agents = Files.writeString(dir.resolve("ua.csv"), "pattern\nsqlmap\nnikto\n");

        int exit = Autonomic.execute("threat-intel", "validate", "--file", block.toString(), "-f", agents.toString());

        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("block.csv: 1 block-list entry, valid")
                .contains("ua.csv: 2 bad-user-agents entries, valid");
    }

    @Test
    void validate_badLine_failsNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path geo = Files.writeString(dir.resolve("geo.csv"), "cidr,country,asn,asnOrg\n192.0.2.0/24,DE,AS1,x\n"
                + "192.0.3.0/24,DE,ASN-one,x\n");

        int exit = Autonomic.execute("threat-intel", "validate", "--file", geo.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("geo.csv:3:").contains("ASN-one");
    }
}
