package io.autonomic.act.ledger;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.RemediationCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionLedgerTest {

    @TempDir
    Path dir;

    @Test
    void reopen_restoresStatesVerificationsAndBreakers() throws Exception {
        Path file = dir.resolve("nested/ledger.jsonl");
        RemediationCommand command = Commands.restart("k1", T0).setParameters(Map.of("signal", "TERM")).build();
        try (ExecutionLedger ledger = ExecutionLedger.open(file)) {
            ledger.started(command, T0);
            ledger.succeeded("k1", T0.plusSeconds(2), "restarted", true);
            ledger.skipped(Commands.restart("k2", T0).build(), T0.plusSeconds(3), "cooldown: too soon");
            ledger.started(Commands.restart("k3", T0).build(), T0.plusSeconds(4));
            ledger.openBreaker(CHECKOUT, "3 attempts", T0.plusSeconds(5));
        }

        try (ExecutionLedger ledger = ExecutionLedger.open(file)) {
            assertThat(ledger.find("k1")).hasValueSatisfying(e -> {
                assertThat(e.state()).isEqualTo(LedgerState.SUCCEEDED);
                assertThat(e.verification()).isEqualTo(VerificationState.PENDING);
                assertThat(e.command()).isEqualTo(command);
                assertThat(e.finishedAt()).isEqualTo(T0.plusSeconds(2));
            });
            assertThat(ledger.find("k2")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerState.SKIPPED));
            assertThat(ledger.inDoubt()).extracting(LedgerEntry::idempotencyKey).containsExactly("k3");
            assertThat(ledger.awaitingVerification()).extracting(LedgerEntry::idempotencyKey).containsExactly("k1");
            assertThat(ledger.lastExecutionAt(CHECKOUT)).contains(T0.plusSeconds(4));
            assertThat(ledger.attemptsSince(CHECKOUT, T0)).hasSize(2);
            assertThat(ledger.breaker(CHECKOUT)).hasValueSatisfying(b -> assertThat(b.open()).isTrue());

            ledger.verified("k1", T0.plusSeconds(30), "healthy");
        }
        try (ExecutionLedger ledger = ExecutionLedger.open(file)) {
            assertThat(ledger.awaitingVerification()).isEmpty();
            assertThat(ledger.find("k1")).hasValueSatisfying(
                    e -> assertThat(e.verification()).isEqualTo(VerificationState.VERIFIED));
        }
    }

    @Test
    void lines_arePlainJson_oneObjectPerLine() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        try (ExecutionLedger ledger = ExecutionLedger.open(file)) {
            ledger.started(Commands.restart("k1", T0).build(), T0);
            ledger.failed("k1", T0.plusSeconds(1), "exit 1");
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("state").asText()).isEqualTo("STARTED");
        assertThat(first.get("resourceId").asText()).isEqualTo(CHECKOUT);
        assertThat(first.get("at").asText()).isEqualTo("2025-03-01T10:00:00Z");
        assertThat(first.get("command").get("commandId").asText()).isEqualTo("cmd-k1");
    }

    @Test
    void open_tornLastLine_isCutOff_andAppendsContinueCleanly() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        try (ExecutionLedger ledger = ExecutionLedger.open(file)) {
            ledger.started(Commands.restart("k1", T0).build(), T0);
        }
        Files.writeString(file, "{\"type\":\"execution\",\"idempotencyKey\":\"k1\",\"sta", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        try (ExecutionLedger ledger = ExecutionLedger.open(file)) {
            assertThat(ledger.find("k1")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerState.STARTED));
            ledger.failed("k1", T0.plusSeconds(1), "in doubt");
        }
        try (ExecutionLedger ledger = ExecutionLedger.open(file)) {
            assertThat(ledger.find("k1")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerState.FAILED));
        }
    }

    @Test
    void open_corruptCompleteLine_failsNamingLine() throws IOException {
        Path file = dir.resolve("ledger.jsonl");
        Files.writeString(file, "{\"type\":\"breaker\",\"resourceId\":\"r\",\"open\":true,\"atMillis\":1}\nnot json\n");

        assertThatThrownBy(() -> ExecutionLedger.open(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void attempts_markVerificationFailuresAsFailed() throws Exception {
        try (ExecutionLedger ledger = ExecutionLedger.open(dir.resolve("ledger.jsonl"))) {
            ledger.started(Commands.restart("k1", T0).build(), T0);
            ledger.succeeded("k1", T0, "ok", true);
            ledger.started(Commands.restart("k2", T0).build(), T0.plusSeconds(400));
            ledger.succeeded("k2", T0.plusSeconds(400), "ok", true);
            ledger.verificationFailed("k2", T0.plusSeconds(600), "still unhealthy");

            assertThat(ledger.attemptsSince(CHECKOUT, T0)).extracting(a -> a.failed()).containsExactly(false, true);
            assertThat(ledger.attemptsSince(CHECKOUT, T0.plusSeconds(1))).hasSize(1);
        }
    }
}
