package io.autonomic.act.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonomic.schemas.avro.AuditDecision;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.ExecutionMode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit events to a local file, one JSON object per line with plain field names, flushed per line:
 *
 * <pre>
 * {"timestamp":"2025-01-01T10:00:00Z","timestampMillis":1735725600000,"eventId":"…","worker":"worker-1",
 *  "decision":"EXECUTED","commandId":"…","idempotencyKey":"…","incidentId":"…","resourceId":"…",
 *  "playbook":"…","action":"process.restart","mode":"EXECUTE","guard":null,"detail":"…","attributes":{…}}
 * </pre>
 *
 * Attributes with secret-looking names are redacted again here, whatever the caller did.
 * {@link #read(Path)} turns such a file back into events (the cli's demo timeline reads it).
 */
public final class JsonLinesAuditLog implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter writer;

    private JsonLinesAuditLog(Path file, BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Opens the file for appending, creating it and its directories when missing. */
    public static JsonLinesAuditLog open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new JsonLinesAuditLog(file, writer);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(AuditEvent event) {
        try {
            writer.write(JSON.writeValueAsString(toJson(event)));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            LOG.error("audit event {} {} not written to {}: {}", event.getDecision(), event.getEventId(), file,
                    e.toString());
        }
    }

    /** The JSON object written for one event. */
    public static ObjectNode toJson(AuditEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("timestamp", Instant.ofEpochMilli(event.getTimestampMillis()).toString());
        node.put("timestampMillis", event.getTimestampMillis());
        node.put("eventId", event.getEventId());
        node.put("worker", event.getWorker());
        node.put("decision", event.getDecision().name());
        node.put("commandId", event.getCommandId());
        node.put("idempotencyKey", event.getIdempotencyKey());
        node.put("incidentId", event.getIncidentId());
        node.put("resourceId", event.getResourceId());
        node.put("playbook", event.getPlaybook());
        node.put("action", event.getAction());
        node.put("mode", event.getMode() == null ? null : event.getMode().name());
        node.put("guard", event.getGuard());
        node.put("detail", event.getDetail());
        ObjectNode attributes = node.putObject("attributes");
        Redaction.redact(event.getAttributes()).forEach(attributes::put);
        return node;
    }

    /** Reads a file written by this class; a line that is not an audit event fails naming its number. */
    public static List<AuditEvent> read(Path file) throws IOException {
        List<AuditEvent> events = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(fromJson(JSON.readTree(line)));
            } catch (JsonProcessingException | RuntimeException e) {
                throw new IOException("audit file " + file + " line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return events;
    }

    static AuditEvent fromJson(JsonNode node) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.path("attributes").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            attributes.put(field.getKey(), field.getValue().asText());
        }
        String mode = text(node, "mode");
        return AuditEvent.newBuilder()
                .setEventId(node.path("eventId").asText())
                .setTimestampMillis(node.path("timestampMillis").asLong())
                .setWorker(node.path("worker").asText())
                .setDecision(AuditDecision.valueOf(node.path("decision").asText()))
                .setCommandId(text(node, "commandId"))
                .setIdempotencyKey(text(node, "idempotencyKey"))
                .setIncidentId(text(node, "incidentId"))
                .setResourceId(text(node, "resourceId"))
                .setPlaybook(text(node, "playbook"))
                .setAction(text(node, "action"))
                .setMode(mode == null ? null : ExecutionMode.valueOf(mode))
                .setGuard(text(node, "guard"))
                .setDetail(node.path("detail").asText(""))
                .setAttributes(attributes)
                .build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    @Override
    public synchronized void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            LOG.error("cannot flush audit file {}: {}", file, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            LOG.warn("closing audit file {} failed: {}", file, e.toString());
        }
    }
}
