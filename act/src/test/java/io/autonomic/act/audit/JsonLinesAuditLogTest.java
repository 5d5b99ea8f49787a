package io.autonomic.act.audit;

import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.schemas.avro.AuditDecision;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.ExecutionMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditLogTest {

    @TempDir
    Path dir;

    private static AuditEvent event(String id, AuditDecision decision, Map<String, String> attributes) {
        return AuditEvent.newBuilder()
                .setEventId(id)
                .setTimestampMillis(T0.toEpochMilli())
                .setWorker("w1")
                .setDecision(decision)
                .setCommandId("cmd-1")
                .setIdempotencyKey("k1")
                .setIncidentId("inc-1")
                .setResourceId("process:host-1/checkout")
                .setPlaybook("restart-on-5xx")
                .setAction("process.restart")
                .setMode(ExecutionMode.EXECUTE)
                .setGuard(decision == AuditDecision.GUARD_PASSED ? "cooldown" : null)
                .setDetail("detail of " + id)
                .setAttributes(attributes)
                .build();
    }

    @Test
    void record_writesOnePlainJsonObjectPerLine_flushedImmediately() throws Exception {
        Path file = dir.resolve("data/audit.jsonl");
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file)) {
            log.record(event("e1", AuditDecision.RECEIVED, Map.of("param.directory", "/var/log/app")));
            log.record(event("e2", AuditDecision.GUARD_PASSED, Map.of()));

            // readable before close: every line is flushed as written
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(2);
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertThat(first.get("timestamp").asText()).isEqualTo("2025-03-01T10:00:00Z");
            assertThat(first.get("timestampMillis").asLong()).isEqualTo(T0.toEpochMilli());
            assertThat(first.get("decision").asText()).isEqualTo("RECEIVED");
            assertThat(first.get("resourceId").asText()).isEqualTo("process:host-1/checkout");
            assertThat(first.get("mode").asText()).isEqualTo("EXECUTE");
            assertThat(first.get("guard").isNull()).isTrue();
            assertThat(first.get("attributes").get("param.directory").asText()).isEqualTo("/var/log/app");
            assertThat(new ObjectMapper().readTree(lines.get(1)).get("guard").asText()).isEqualTo("cooldown");
        }
    }

    @Test
    void record_redactsSecretNamedAttributes_evenIfCallerDidNot() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file)) {
            log.record(event("e1", AuditDecision.RECEIVED,
                    Map.of("param.API_KEY", "abc123", "param.password", "hunter2", "param.user", "bob")));
        }
        String text = Files.readString(file);
        assertThat(text).doesNotContain("abc123", "hunter2").contains("\"param.user\":\"bob\"");
    }

    @Test
    void read_roundTripsEvents_andAppendsAcrossReopen() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditEvent first = event("e1", AuditDecision.EXECUTED, Map.of("filesRemoved", "3"));
        AuditEvent second = event("e2", AuditDecision.GUARD_PASSED, Map.of());
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file)) {
            log.record(first);
        }
        try (JsonLinesAuditLog log = JsonLinesAuditLog.open(file)) {
            log.record(second);
        }

        assertThat(JsonLinesAuditLog.read(file)).containsExactly(first, second);
    }

    @Test
    void composite_recordsToEverySink() {
        TestingAuditLog a = new TestingAuditLog();
        TestingAuditLog b = new TestingAuditLog();
        AuditLog failing = event -> {
            throw new IllegalStateException("disk full");
        };

        CompositeAuditLog.of(a, failing, b).record(event("e1", AuditDecision.RECEIVED, Map.of()));

        assertThat(a.events).hasSize(1);
        assertThat(b.events).hasSize(1);
    }

    @Test
    void redaction_matchesSecretWordsIgnoringCase() {
        assertThat(Redaction.redact(Map.of("Secret-Name", "x", "githubToken", "y", "ssh_key", "z", "pattern", "*.log")))
                .containsEntry("Secret-Name", Redaction.REDACTED)
                .containsEntry("githubToken", Redaction.REDACTED)
                .containsEntry("ssh_key", Redaction.REDACTED)
                .containsEntry("pattern", "*.log");
    }
}
