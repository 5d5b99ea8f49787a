package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A local HTTP endpoint standing in for Slack, PagerDuty, Jira or ServiceNow: replies scripted per
 * {@code "METHOD /path"} (in order; 200 {@code {}} when none is scripted) and every request recorded.
 */
final class RecordingHttpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(String method, String path, String query, String authorization, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<String[]>> replies = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();

    RecordingHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    synchronized RecordingHttpServer reply(String method, String path, int status, String body) {
        replies.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
                .add(new String[] {Integer.toString(status), body});
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String[] reply;
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Deque<String[]> queue = replies.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            reply = queue == null || queue.isEmpty() ? new String[] {"200", "{}"} : queue.poll();
        }
        byte[] out = reply[1].getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(Integer.parseInt(reply[0]), out.length == 0 ? -1 : out.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
