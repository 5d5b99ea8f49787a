package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * JSON over HTTP for the channels. Credentials travel only in headers built here and are never part of a message
 * or exception; errors name the method, the URL's scheme, host and path (never its query, which may carry a
 * token) and the status.
 */
final class HttpJson {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int ERROR_BODY_CHARS = 300;

    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final boolean urlIsSecret;

    HttpJson(Duration timeout, Map<String, String> headers) {
        this(timeout, headers, false);
    }

    /** @param urlIsSecret the URL itself is a credential (Slack webhooks): errors name only its host */
    HttpJson(Duration timeout, Map<String, String> headers, boolean urlIsSecret) {
        this.urlIsSecret = urlIsSecret;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.headers = Map.copyOf(headers);
    }

    static Map<String, String> basicAuth(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Basic " + token);
        return headers;
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static URI requireHttp(URI url, String what) {
        Objects.requireNonNull(url, what);
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL");
        }
        return url;
    }

    /** Where a request went, without query or user info: safe to log. */
    static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    JsonNode send(String method, URI url, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json");
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String text = response.body() == null ? "" : response.body().strip();
            String where = urlIsSecret ? url.getScheme() + "://" + url.getHost() + "/…" : redacted(url);
            throw new NotificationException(method + " " + where + " answered " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + (text.length() <= ERROR_BODY_CHARS ? text
                    : text.substring(0, ERROR_BODY_CHARS) + "…")), response.statusCode());
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            // Slack answers "ok" as plain text: a 2xx without JSON is still delivered
            return JSON.getNodeFactory().textNode(text.strip());
        }
    }
}
