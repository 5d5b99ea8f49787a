package io.autonomic.act.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonomic.act.audit.Redaction;
import io.autonomic.act.guard.ResourceHistory;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.RemediationCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable record of what the worker did, one JSON object per line, each line fsynced before the call returns.
 * Loaded entirely at startup. Three kinds of line:
 *
 * <pre>
 * {"type":"execution","idempotencyKey":"…","state":"STARTED","resourceId":"…","commandId":"…","action":"…",
 *  "mode":"EXECUTE","atMillis":…,"at":"…","detail":"","command":{…}}
 * {"type":"verification","idempotencyKey":"…","state":"VERIFIED","atMillis":…,"at":"…","detail":"…"}
 * {"type":"breaker","resourceId":"…","open":true,"atMillis":…,"at":"…","reason":"…"}
 * </pre>
 *
 * A STARTED line is written before the executor is called, so a crash can leave a key STARTED without outcome:
 * the worker then must not execute it again but treat it as in doubt. A torn last line (the crash hit mid-write)
 * is cut off at load; a corrupt line elsewhere fails the load, because guessing could execute something twice.
 *
 * <p>The stored command (used to verify and escalate after a restart) has its secret-named parameters redacted.
 * All methods are thread-safe.
 */
public final class ExecutionLedger implements ResourceHistory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    private final Map<String, List<String>> executedKeysByResource = new HashMap<>();
    private final Map<String, BreakerState> breakers = new HashMap<>();

    private ExecutionLedger(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating if needed, with its directories) and loads the ledger file. */
    public static ExecutionLedger open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ExecutionLedger ledger = new ExecutionLedger(file, channel);
        try {
            ledger.load();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return ledger;
    }

    public Path file() {
        return file;
    }

    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int completeLength = bytes.length;
        while (completeLength > 0 && bytes[completeLength - 1] != '\n') {
            completeLength--;
        }
        if (completeLength < bytes.length) {
            LOG.warn("ledger {}: cutting off a torn last line of {} bytes (the worker stopped mid-write)", file,
                    bytes.length - completeLength);
            channel.truncate(completeLength);
            channel.force(true);
        }
        String text = new String(bytes, 0, completeLength, StandardCharsets.UTF_8);
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                apply(JSON.readTree(line));
            } catch (JsonProcessingException | RuntimeException e) {
                throw new IOException("ledger " + file + " line " + lineNumber + " is corrupt: " + e.getMessage(), e);
            }
        }
        channel.position(channel.size());
        long inDoubt = entries.values().stream().filter(e -> e.state() == LedgerState.STARTED).count();
        LOG.info("ledger {} loaded: {} keys, {} in doubt, {} open breakers", file, entries.size(), inDoubt,
                breakers.values().stream().filter(BreakerState::open).count());
    }

    private void apply(JsonNode line) {
        String type = required(line, "type");
        Instant at = Instant.ofEpochMilli(line.path("atMillis").asLong());
        switch (type) {
            case "execution" -> applyExecution(line, at);
            case "verification" -> {
                String key = required(line, "idempotencyKey");
                LedgerEntry entry = entries.get(key);
                if (entry != null) {
                    entries.put(key, entry.withVerification(VerificationState.valueOf(required(line, "state"))));
                }
            }
            case "breaker" -> breakers.put(required(line, "resourceId"),
                    new BreakerState(line.path("open").asBoolean(), at, line.path("reason").asText("")));
            default -> throw new IllegalArgumentException("unknown line type '" + type + "'");
        }
    }

    private void applyExecution(JsonNode line, Instant at) {
        String key = required(line, "idempotencyKey");
        LedgerState state = LedgerState.valueOf(required(line, "state"));
        String detail = line.path("detail").asText("");
        LedgerEntry existing = entries.get(key);
        if (state == LedgerState.STARTED || state == LedgerState.SKIPPED || existing == null) {
            RemediationCommand command = line.hasNonNull("command") ? decodeCommand(key, line.get("command")) : null;
            String modeText = line.path("mode").asText("");
            LedgerEntry entry = new LedgerEntry(key, state, line.path("resourceId").asText(""),
                    line.path("commandId").asText(""), line.path("action").asText(""),
                    modeText.isEmpty() ? null : ExecutionMode.valueOf(modeText), at,
                    state == LedgerState.STARTED ? null : at, detail, VerificationState.NOT_REQUESTED, command);
            entries.put(key, entry);
            if (state == LedgerState.STARTED) {
                List<String> keys = executedKeysByResource.computeIfAbsent(entry.resourceId(), r -> new ArrayList<>());
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
            return;
        }
        VerificationState verification = state == LedgerState.SUCCEEDED && line.path("verify").asBoolean(false)
                ? VerificationState.PENDING : VerificationState.NOT_REQUESTED;
        entries.put(key, existing.withOutcome(state, at, detail, verification));
    }

    private RemediationCommand decodeCommand(String key, JsonNode node) {
        try {
            SpecificDatumReader<RemediationCommand> reader = new SpecificDatumReader<>(RemediationCommand.class);
            return reader.read(null, DecoderFactory.get().jsonDecoder(RemediationCommand.getClassSchema(), node.toString()));
        } catch (IOException | RuntimeException e) {
            // an older schema's command: the key still deduplicates, only verification after restart is lost
            LOG.warn("ledger {}: stored command of key {} cannot be decoded any more: {}", file, key, e.toString());
            return null;
        }
    }

    private static String required(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value.asText();
    }

    public synchronized Optional<LedgerEntry> find(String idempotencyKey) {
        return Optional.ofNullable(entries.get(idempotencyKey));
    }

    /** Records that the executor is about to be called; durable when this returns. */
    public synchronized void started(RemediationCommand command, Instant at) {
        ObjectNode line = executionLine(command.getIdempotencyKey(), LedgerState.STARTED, at, "");
        line.put("resourceId", command.getTarget().getId());
        line.put("commandId", command.getCommandId());
        line.put("action", command.getAction());
        line.put("mode", command.getMode().name());
        line.set("command", encodeCommand(command));
        append(line);
    }

    /** Records a successful execution; {@code verify} marks it as awaiting a health confirmation. */
    public synchronized void succeeded(String idempotencyKey, Instant at, String detail, boolean verify) {
        ObjectNode line = executionLine(idempotencyKey, LedgerState.SUCCEEDED, at, detail);
        line.put("verify", verify);
        append(line);
    }

    public synchronized void failed(String idempotencyKey, Instant at, String detail) {
        append(executionLine(idempotencyKey, LedgerState.FAILED, at, detail));
    }

    /** Records that a guard stopped the command before execution. */
    public synchronized void skipped(RemediationCommand command, Instant at, String reason) {
        ObjectNode line = executionLine(command.getIdempotencyKey(), LedgerState.SKIPPED, at, reason);
        line.put("resourceId", command.getTarget().getId());
        line.put("commandId", command.getCommandId());
        line.put("action", command.getAction());
        line.put("mode", command.getMode().name());
        append(line);
    }

    public synchronized void verified(String idempotencyKey, Instant at, String detail) {
        append(verificationLine(idempotencyKey, VerificationState.VERIFIED, at, detail));
    }

    public synchronized void verificationFailed(String idempotencyKey, Instant at, String detail) {
        append(verificationLine(idempotencyKey, VerificationState.FAILED, at, detail));
    }

    /** Successful executions still waiting for their health confirmation, oldest first. */
    public synchronized List<LedgerEntry> awaitingVerification() {
        return entries.values().stream()
                .filter(e -> e.state() == LedgerState.SUCCEEDED && e.verification() == VerificationState.PENDING)
                .sorted(Comparator.comparing(LedgerEntry::recordedAt))
                .toList();
    }

    /** Keys started without a recorded outcome. */
    public synchronized List<LedgerEntry> inDoubt() {
        return entries.values().stream().filter(e -> e.state() == LedgerState.STARTED).toList();
    }

    @Override
    public synchronized Optional<Instant> lastExecutionAt(String resourceId) {
        List<String> keys = executedKeysByResource.getOrDefault(resourceId, List.of());
        return keys.stream().map(entries::get).map(LedgerEntry::recordedAt).max(Comparator.naturalOrder());
    }

    @Override
    public synchronized List<Attempt> attemptsSince(String resourceId, Instant since) {
        List<Attempt> attempts = new ArrayList<>();
        for (String key : executedKeysByResource.getOrDefault(resourceId, List.of())) {
            LedgerEntry entry = entries.get(key);
            if (!entry.recordedAt().isBefore(since)) {
                boolean failed = entry.state() == LedgerState.FAILED
                        || entry.verification() == VerificationState.FAILED;
                attempts.add(new Attempt(key, entry.recordedAt(), failed));
            }
        }
        attempts.sort(Comparator.comparing(Attempt::at));
        return attempts;
    }

    @Override
    public synchronized Optional<BreakerState> breaker(String resourceId) {
        return Optional.ofNullable(breakers.get(resourceId));
    }

    @Override
    public synchronized void openBreaker(String resourceId, String reason, Instant at) {
        append(breakerLine(resourceId, true, reason, at));
    }

    @Override
    public synchronized void resetBreaker(String resourceId, String reason, Instant at) {
        append(breakerLine(resourceId, false, reason, at));
    }

    private static ObjectNode executionLine(String key, LedgerState state, Instant at, String detail) {
        return stateLine("execution", key, state, at, detail);
    }

    private static ObjectNode verificationLine(String key, VerificationState state, Instant at, String detail) {
        return stateLine("verification", key, state, at, detail);
    }

    private static ObjectNode stateLine(String type, String key, Enum<?> state, Instant at, String detail) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", type);
        line.put("idempotencyKey", key);
        line.put("state", state.name());
        line.put("atMillis", at.toEpochMilli());
        line.put("at", at.toString());
        line.put("detail", detail == null ? "" : detail);
        return line;
    }

    private static ObjectNode breakerLine(String resourceId, boolean open, String reason, Instant at) {
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "breaker");
        line.put("resourceId", resourceId);
        line.put("open", open);
        line.put("atMillis", at.toEpochMilli());
        line.put("at", at.toString());
        line.put("reason", reason == null ? "" : reason);
        return line;
    }

    private static JsonNode encodeCommand(RemediationCommand command) {
        RemediationCommand safe = RemediationCommand.newBuilder(command)
                .setParameters(Redaction.redact(command.getParameters()))
                .build();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(RemediationCommand.getClassSchema(), out);
            new SpecificDatumWriter<>(RemediationCommand.class).write(safe, encoder);
            encoder.flush();
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode command " + command.getCommandId() + " for the ledger", e);
        }
    }

    /** Appends, fsyncs, then applies the line to memory, so memory never claims what the file does not hold. */
    private void append(ObjectNode line) {
        try {
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to ledger " + file, e);
        }
        apply(line);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
