package io.autonomic.act.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.guard.Overrides;
import io.autonomic.schemas.avro.Approval;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP control endpoint:
 *
 * <ul>
 *   <li>{@code POST /kill-switch {"enabled": true, "reason": "...", "actor": "..."}} engages or releases this
 *       worker's kill switch at once (the next guard check sees it; the change is audited KILL_SWITCH_CHANGED).
 *       The control topic stays the fleet-wide switch; a later signal there overrides this worker's state.</li>
 *   <li>{@code GET /kill-switch} the current state.</li>
 *   <li>{@code POST /overrides {"resourceId": "...", "duration": "PT2H", "reason": "...", "actor": "..."}} a human
 *       takes the resource over: automation pauses on it for the duration (this worker; {@code PT0S} lifts it).</li>
 *   <li>{@code POST /approvals/{commandId} {"actor": "...", "reason": "..."}} approves a pending NEEDS_APPROVAL
 *       command (202: handed to the worker, which audits APPROVED or APPROVAL_EXPIRED).</li>
 *   <li>{@code POST /breakers/{resourceId}/reset {"reason": "..."}} closes a resource's circuit breaker (audited).</li>
 *   <li>{@code GET /status} the worker's counters.</li>
 * </ul>
 * Bodies are JSON, at most {@value #MAX_BODY} bytes. Binds to the loopback address unless told otherwise: it has no
 * authentication of its own, so it must not be reachable beyond the host (or must sit behind an authenticating
 * proxy).
 */
public final class ControlServer implements AutoCloseable {

    static final int MAX_BODY = 8_192;
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern APPROVAL = Pattern.compile("/approvals/([^/]+)");
    private static final Pattern BREAKER_RESET = Pattern.compile("/breakers/([^/]+)/reset");

    private final HttpServer server;
    private final ExecutorService executor;
    private final KillSwitch killSwitch;
    private final BiConsumer<String, String> breakerReset;
    private final Supplier<Map<String, Long>> status;
    private final Overrides overrides;
    private final Clock clock;
    private final Consumer<Approval> approvals;

    private ControlServer(HttpServer server, KillSwitch killSwitch, BiConsumer<String, String> breakerReset,
            Supplier<Map<String, Long>> status, Overrides overrides, Clock clock, Consumer<Approval> approvals) {
        this.server = server;
        this.approvals = approvals;
        this.overrides = overrides;
        this.clock = clock;
        this.killSwitch = killSwitch;
        this.breakerReset = breakerReset;
        this.status = status;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "act-control-http");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /**
     * Starts serving on {@code address} (port 0: any free port).
     *
     * @param breakerReset called with resource id and reason
     */
    public static ControlServer start(InetSocketAddress address, KillSwitch killSwitch,
            BiConsumer<String, String> breakerReset, Supplier<Map<String, Long>> status) throws IOException {
        return start(address, killSwitch, breakerReset, status, new Overrides(), Clock.systemUTC());
    }

    /** As above, also serving {@code POST /overrides} into {@code overrides}. */
    public static ControlServer start(InetSocketAddress address, KillSwitch killSwitch,
            BiConsumer<String, String> breakerReset, Supplier<Map<String, Long>> status, Overrides overrides,
            Clock clock) throws IOException {
        return start(address, killSwitch, breakerReset, status, overrides, clock, approval -> {
            throw new IllegalStateException("approvals are not handled by this endpoint");
        });
    }

    /** As above, also serving {@code POST /approvals/{commandId}} into {@code approvals}. */
    public static ControlServer start(InetSocketAddress address, KillSwitch killSwitch,
            BiConsumer<String, String> breakerReset, Supplier<Map<String, Long>> status, Overrides overrides,
            Clock clock, Consumer<Approval> approvals) throws IOException {
        HttpServer server = HttpServer.create(Objects.requireNonNull(address, "address"), 16);
        ControlServer control = new ControlServer(server, Objects.requireNonNull(killSwitch, "killSwitch"),
                Objects.requireNonNull(breakerReset, "breakerReset"), Objects.requireNonNull(status, "status"),
                Objects.requireNonNull(overrides, "overrides"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(approvals, "approvals"));
        server.start();
        LOG.info("worker control endpoint on http://{}:{}", address.getHostString(), control.port());
        return control;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            try {
                if (path.equals("/kill-switch") && method.equals("POST")) {
                    JsonNode body = body(exchange);
                    JsonNode enabled = body.get("enabled");
                    if (enabled == null || !enabled.isBoolean()) {
                        respond(exchange, 400, error("body needs \"enabled\": true|false"));
                        return;
                    }
                    killSwitch.set(enabled.booleanValue(), text(body, "actor", "http"), text(body, "reason", ""));
                    respond(exchange, 200, killSwitchState());
                } else if (path.equals("/overrides") && method.equals("POST")) {
                    JsonNode body = body(exchange);
                    String resourceId = text(body, "resourceId", "");
                    if (resourceId.isBlank()) {
                        respond(exchange, 400, error("body needs \"resourceId\""));
                        return;
                    }
                    Duration duration;
                    try {
                        duration = Duration.parse(text(body, "duration", "PT1H"));
                    } catch (DateTimeParseException e) {
                        throw new BadRequest("\"duration\" must be ISO-8601, e.g. PT2H");
                    }
                    if (duration.isNegative()) {
                        throw new BadRequest("\"duration\" must not be negative");
                    }
                    Instant until = clock.instant().plus(duration);
                    if (duration.isZero()) {
                        overrides.clear(resourceId);
                    } else {
                        overrides.set(resourceId, until, text(body, "actor", "http"), text(body, "reason", ""));
                    }
                    LOG.warn("human override on {} {} by {}", resourceId, duration.isZero() ? "lifted" : "until " + until,
                            text(body, "actor", "http"));
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("resourceId", resourceId);
                    answer.put("until", duration.isZero() ? null : until.toString());
                    respond(exchange, 200, answer);
                } else if (APPROVAL.matcher(path).matches() && method.equals("POST")) {
                    Matcher matcher = APPROVAL.matcher(path);
                    matcher.matches();
                    String commandId = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
                    JsonNode body = body(exchange);
                    approvals.accept(Approval.newBuilder().setCommandId(commandId)
                            .setActor(text(body, "actor", "http")).setReason(text(body, "reason", ""))
                            .setAtMillis(clock.millis()).build());
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("commandId", commandId);
                    answer.put("approval", "accepted; the worker acts on it within a poll if the proposal is pending");
                    respond(exchange, 202, answer);
                } else if (path.equals("/kill-switch") && method.equals("GET")) {
                    respond(exchange, 200, killSwitchState());
                } else if (path.equals("/status") && method.equals("GET")) {
                    ObjectNode counters = JSON.createObjectNode();
                    status.get().forEach(counters::put);
                    respond(exchange, 200, counters);
                } else if (BREAKER_RESET.matcher(path).matches() && method.equals("POST")) {
                    Matcher matcher = BREAKER_RESET.matcher(path);
                    matcher.matches();
                    String resourceId = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
                    JsonNode body = body(exchange);
                    breakerReset.accept(resourceId, text(body, "reason", "reset over HTTP"));
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("resourceId", resourceId);
                    answer.put("breaker", "reset");
                    respond(exchange, 200, answer);
                } else {
                    respond(exchange, 404, error("no such endpoint: " + method + " " + path));
                }
            } catch (BadRequest e) {
                respond(exchange, 400, error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("control request {} {} failed", method, path, e);
                respond(exchange, 500, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
    }

    private ObjectNode killSwitchState() {
        ObjectNode state = JSON.createObjectNode();
        state.put("enabled", killSwitch.isEngaged());
        state.put("known", killSwitch.isKnown());
        return state;
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new BadRequest("body larger than " + MAX_BODY + " bytes");
            }
            if (bytes.length == 0) {
                return JSON.createObjectNode();
            }
            try {
                JsonNode node = JSON.readTree(bytes);
                if (node == null || !node.isObject()) {
                    throw new BadRequest("body must be a JSON object");
                }
                return node;
            } catch (IOException e) {
                throw new BadRequest("body is not JSON");
            }
        }
    }

    private static String text(JsonNode body, String field, String defaultValue) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? defaultValue : value.asText();
    }

    private static ObjectNode error(String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", message);
        return node;
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
