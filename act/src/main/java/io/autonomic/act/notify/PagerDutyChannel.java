package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * PagerDuty Events API v2. The incident id is the {@code dedup_key}, so PagerDuty itself keeps one alert per
 * incident: {@code escalated} triggers it (humans are needed), {@code resolved} resolves it, and {@code opened}
 * triggers only when {@code pageOnOpen} is set (by default automation gets its chance first). Severity is
 * {@code error} on escalation, {@code warning} on open.
 */
public final class PagerDutyChannel implements NotificationChannel {

    public static final URI EVENTS_URL = URI.create("https://events.pagerduty.com/v2/enqueue");

    private final String routingKey;
    private final URI eventsUrl;
    private final boolean pageOnOpen;
    private final HttpJson http;

    public PagerDutyChannel(String routingKey, URI eventsUrl, boolean pageOnOpen, Duration timeout) {
        this.routingKey = Objects.requireNonNull(routingKey, "routingKey");
        if (routingKey.isBlank()) {
            throw new IllegalArgumentException("PagerDuty routing key must not be blank");
        }
        this.eventsUrl = HttpJson.requireHttp(eventsUrl == null ? EVENTS_URL : eventsUrl, "PagerDuty events URL");
        this.pageOnOpen = pageOnOpen;
        this.http = new HttpJson(timeout, Map.of());
    }

    @Override
    public String name() {
        return "pagerduty";
    }

    @Override
    public String deliver(IncidentEvent event) throws IOException, InterruptedException {
        if (event.kind() == IncidentEvent.Kind.OPENED && !pageOnOpen) {
            return "not paged on open";
        }
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.put("routing_key", routingKey);
        body.put("dedup_key", event.incidentId());
        if (event.kind() == IncidentEvent.Kind.RESOLVED) {
            body.put("event_action", "resolve");
        } else {
            body.put("event_action", "trigger");
            body.put("client", "Autonomic");
            ObjectNode payload = body.putObject("payload");
            String summary = event.title() + (event.text().isEmpty() ? "" : " - " + event.text());
            payload.put("summary", summary.length() <= 1024 ? summary : summary.substring(0, 1024));
            payload.put("source", event.resourceId());
            payload.put("severity", event.kind() == IncidentEvent.Kind.ESCALATED ? "error" : "warning");
            if (event.service() != null) {
                payload.put("component", event.service());
            }
            if (event.incidentType() != null) {
                payload.put("class", event.incidentType());
            }
            ObjectNode details = payload.putObject("custom_details");
            details.put("incident", event.incidentId());
            details.put("summary", event.summary());
            details.put("playbook", event.playbook());
            details.put("action", event.action());
            details.put(event.kind().label(), event.text());
        }
        JsonNode answer = http.send("POST", eventsUrl, body);
        String status = answer.path("status").asText("");
        if (!status.isEmpty() && !"success".equals(status)) {
            throw new NotificationException("PagerDuty did not accept the event: " + answer.path("message").asText(status), 0);
        }
        return "PagerDuty " + body.get("event_action").asText() + " for dedup key " + event.incidentId();
    }
}
