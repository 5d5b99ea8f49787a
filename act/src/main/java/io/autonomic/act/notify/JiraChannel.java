package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Jira issue per incident, through the REST API (v2 with plain-text bodies, or v3 with Atlassian Document
 * Format bodies): the first event creates the issue in the configured project ({@code POST /rest/api/N/issue},
 * label {@code autonomic}), later events comment on it ({@code POST .../issue/KEY/comment}), and the resolution
 * comments and then applies the configured close transition ({@code GET/POST .../issue/KEY/transitions}, matched
 * by transition or target status name). Which issue belongs to which incident is kept in a {@link TicketStore}, so
 * a restart between opening and resolving still closes the right issue.
 */
public final class JiraChannel implements NotificationChannel {

    /**
     * @param baseUrl e.g. {@code https://example.atlassian.net}
     * @param apiVersion 2 or 3
     * @param projectKey e.g. {@code OPS}
     * @param issueType e.g. {@code Task} or {@code Incident}
     * @param closeTransition transition (or status) name that closes an issue, e.g. {@code Done}
     */
    public record Settings(URI baseUrl, int apiVersion, String projectKey, String issueType, String closeTransition) {
        public Settings {
            HttpJson.requireHttp(baseUrl, "Jira base URL");
            if (apiVersion != 2 && apiVersion != 3) {
                throw new IllegalArgumentException("Jira API version must be 2 or 3, was " + apiVersion);
            }
            if (projectKey == null || !projectKey.matches("[A-Z][A-Z0-9_]{0,254}")) {
                throw new IllegalArgumentException("Jira project key must look like OPS, was '" + projectKey + "'");
            }
            Objects.requireNonNull(issueType, "issueType");
            Objects.requireNonNull(closeTransition, "closeTransition");
        }
    }

    private final Settings settings;
    private final TicketStore tickets;
    private final HttpJson http;

    /** @param authorization the Authorization header map, from {@link #basicAuth} or {@link #bearerAuth} */
    public JiraChannel(Settings settings, Map<String, String> authorization, TicketStore tickets, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.http = new HttpJson(timeout, authorization);
    }

    /** Jira Cloud: account email and API token. */
    public static Map<String, String> basicAuth(String email, String apiToken) {
        return HttpJson.basicAuth(email, apiToken);
    }

    /** Jira Data Center: a personal access token. */
    public static Map<String, String> bearerAuth(String token) {
        return HttpJson.bearer(token);
    }

    @Override
    public String name() {
        return "jira";
    }

    private URI api(String path) {
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        return URI.create(base + "/rest/api/" + settings.apiVersion() + path);
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    @Override
    public String deliver(IncidentEvent event) throws IOException, InterruptedException {
        Optional<String> existing = tickets.ticket(name(), event.incidentId());
        if (existing.isEmpty()) {
            if (event.kind() == IncidentEvent.Kind.RESOLVED) {
                return "no Jira issue for incident " + event.incidentId();
            }
            String key = create(event);
            tickets.put(name(), event.incidentId(), key);
            return "created Jira issue " + key;
        }
        String key = existing.get();
        comment(key, event.kind().label() + ": " + (event.text().isEmpty() ? event.title() : event.text()));
        if (event.kind() != IncidentEvent.Kind.RESOLVED) {
            return "commented on Jira issue " + key;
        }
        transitionToClosed(key);
        tickets.remove(name(), event.incidentId());
        return "closed Jira issue " + key;
    }

    private String create(IncidentEvent event) throws IOException, InterruptedException {
        ObjectNode body = HttpJson.JSON.createObjectNode();
        ObjectNode fields = body.putObject("fields");
        fields.putObject("project").put("key", settings.projectKey());
        String summary = event.title().replace('\n', ' ');
        fields.put("summary", summary.length() <= 255 ? summary : summary.substring(0, 255));
        fields.putObject("issuetype").put("name", settings.issueType());
        fields.set("description", text(event.body()));
        ArrayNode labels = fields.putArray("labels");
        labels.add("autonomic");
        if (event.incidentType() != null && event.incidentType().matches("[A-Za-z0-9_.-]+")) {
            labels.add(event.incidentType());
        }
        JsonNode created = http.send("POST", api("/issue"), body);
        String key = created.path("key").asText("");
        if (key.isEmpty()) {
            throw new NotificationException("Jira created an issue but answered no key: " + created, 0);
        }
        return key;
    }

    private void comment(String key, String text) throws IOException, InterruptedException {
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.set("body", text(text));
        http.send("POST", api("/issue/" + encode(key) + "/comment"), body);
    }

    private void transitionToClosed(String key) throws IOException, InterruptedException {
        JsonNode available = http.send("GET", api("/issue/" + encode(key) + "/transitions"), null);
        List<String> names = new ArrayList<>();
        for (JsonNode transition : available.path("transitions")) {
            String name = transition.path("name").asText("");
            String to = transition.path("to").path("name").asText("");
            names.add(name);
            if (name.equalsIgnoreCase(settings.closeTransition()) || to.equalsIgnoreCase(settings.closeTransition())) {
                ObjectNode body = HttpJson.JSON.createObjectNode();
                body.putObject("transition").put("id", transition.path("id").asText());
                http.send("POST", api("/issue/" + encode(key) + "/transitions"), body);
                return;
            }
        }
        throw new NotificationException("Jira issue " + key + " has no transition '" + settings.closeTransition()
                + "'; available: " + names, 0);
    }

    /** Plain text for API v2, a single-paragraph-per-line Atlassian document for v3. */
    private JsonNode text(String text) {
        if (settings.apiVersion() == 2) {
            return HttpJson.JSON.getNodeFactory().textNode(text);
        }
        ObjectNode doc = HttpJson.JSON.createObjectNode();
        doc.put("type", "doc");
        doc.put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode paragraph = content.addObject();
            paragraph.put("type", "paragraph");
            ObjectNode run = paragraph.putArray("content").addObject();
            run.put("type", "text");
            run.put("text", line);
        }
        return doc;
    }
}
