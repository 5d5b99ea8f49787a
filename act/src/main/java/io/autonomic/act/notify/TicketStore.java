package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ticket belongs to which incident, per ticketing system, kept across worker restarts so a resolution
 * closes the ticket opened before the restart. An append-only JSON-lines file, one
 * {@code {"system","incidentId","ticket"}} per change ({@code "ticket":null} when the incident's ticket was
 * closed), fsynced per write and replayed on start; a torn last line from a crash is skipped with a warning.
 * {@link #inMemory()} keeps nothing on disk.
 */
public final class TicketStore {

    private static final Logger LOG = LoggerFactory.getLogger(TicketStore.class);

    private final Path file;
    private final Map<String, String> tickets = new HashMap<>();

    private TicketStore(Path file) {
        this.file = file;
    }

    public static TicketStore inMemory() {
        return new TicketStore(null);
    }

    public static TicketStore open(Path file) {
        TicketStore store = new TicketStore(file);
        if (Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read ticket store " + file, e);
            }
            int number = 0;
            for (String line : lines) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode entry = HttpJson.JSON.readTree(line);
                    String key = key(entry.get("system").asText(), entry.get("incidentId").asText());
                    JsonNode ticket = entry.get("ticket");
                    if (ticket == null || ticket.isNull()) {
                        store.tickets.remove(key);
                    } else {
                        store.tickets.put(key, ticket.asText());
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("ticket store {} line {} unreadable, skipped: {}", file, number, e.toString());
                }
            }
        }
        return store;
    }

    private static String key(String system, String incidentId) {
        return system + "\u0000" + incidentId;
    }

    public synchronized Optional<String> ticket(String system, String incidentId) {
        return Optional.ofNullable(tickets.get(key(system, incidentId)));
    }

    public synchronized void put(String system, String incidentId, String ticket) {
        append(system, incidentId, ticket);
        tickets.put(key(system, incidentId), ticket);
    }

    public synchronized void remove(String system, String incidentId) {
        if (tickets.containsKey(key(system, incidentId))) {
            append(system, incidentId, null);
            tickets.remove(key(system, incidentId));
        }
    }

    public synchronized int size() {
        return tickets.size();
    }

    private void append(String system, String incidentId, String ticket) {
        if (file == null) {
            return;
        }
        ObjectNode entry = HttpJson.JSON.createObjectNode();
        entry.put("system", system);
        entry.put("incidentId", incidentId);
        entry.put("ticket", ticket);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            byte[] line = (HttpJson.JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ticket store " + file, e);
        }
    }
}
