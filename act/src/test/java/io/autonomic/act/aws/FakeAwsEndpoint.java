package io.autonomic.act.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.autonomic.act.ActionRequest;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A local HTTP endpoint that answers AWS SDK calls with scripted replies in each service's wire format, and records
 * every request (method, path, query, headers, body) so tests can assert exactly what the SDK sent. Replies are
 * served in the order enqueued; a request with no reply left gets a 400 that names it, so a missing script fails
 * the test visibly instead of being retried.
 */
final class FakeAwsEndpoint implements AutoCloseable {

    static final String ACCESS_KEY = "AKIDAUTONOMICTEST";

    record Recorded(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }

        /** The X-Amz-Target of an AWS JSON call, e.g. AmazonSSM.StartAutomationExecution. */
        String target() {
            return header("X-Amz-Target");
        }

        /** The form parameters of a query-protocol call (EC2, Auto Scaling). */
        Map<String, String> form() {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return form;
        }
    }

    record Reply(int status, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<Recorded> requests = new ArrayList<>();

    FakeAwsEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static Reply awsJson(int status, String body) {
        return new Reply(status, Map.of("Content-Type", "application/x-amz-json-1.1"), body);
    }

    static Reply restJson(int status, String body) {
        return new Reply(status, Map.of("Content-Type", "application/json"), body);
    }

    /** A REST-JSON error (Lambda): the error type travels in the X-Amzn-ErrorType header. */
    static Reply restJsonError(int status, String type, String message) {
        return new Reply(status, Map.of("Content-Type", "application/json", "X-Amzn-ErrorType", type),
                "{\"Type\":\"User\",\"Message\":\"" + message + "\"}");
    }

    static Reply xml(int status, String body) {
        return new Reply(status, Map.of("Content-Type", "text/xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body);
    }

    /** An EC2 query-protocol error document. */
    static Reply ec2Error(int status, String code, String message) {
        return xml(status, "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error></Errors><RequestID>req-ec2-err</RequestID></Response>");
    }

    /** The AWS query (Auto Scaling) and REST-XML (Route 53) error document. */
    static Reply queryError(int status, String namespace, String code, String message) {
        return xml(status, "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>req-err</RequestId></ErrorResponse>");
    }

    synchronized FakeAwsEndpoint enqueue(Reply... scripted) {
        replies.addAll(List.of(scripted));
        return this;
    }

    synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    synchronized int pendingReplies() {
        return replies.size();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Clients against this endpoint: static test credentials, us-east-1, 3 attempts with millisecond backoff. */
    AwsClients clients() {
        return new AwsClients(new AwsClients.Settings(Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "test-secret")), uri(), 3,
                Duration.ofMillis(1), Duration.ofMillis(5)));
    }

    static ActionRequest request(String action, String targetId, ResourceKind kind, Map<String, String> parameters) {
        Resource target = Resource.newBuilder().setId(targetId).setKind(kind).setService("checkout")
                .setAttributes(Map.of()).build();
        return new ActionRequest(action, target, parameters, "inc-42/playbook/0");
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Reply reply;
        synchronized (this) {
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(body, StandardCharsets.UTF_8)));
            reply = replies.poll();
        }
        if (reply == null) {
            reply = awsJson(400, "{\"__type\":\"NoScriptedReply\",\"message\":\"no reply scripted for "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\"}");
        }
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("x-amzn-RequestId", "req-" + requests.size());
        exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
