package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs every lifecycle event as JSON to a URL: {@code {"event","incidentId","resourceId","service",
 * "incidentType","summary","playbook","action","text","title"}}; an optional bearer token goes in the
 * Authorization header.
 */
public final class WebhookChannel implements NotificationChannel {

    private final URI url;
    private final HttpJson http;

    public WebhookChannel(URI url, String bearerToken, Duration timeout) {
        this.url = HttpJson.requireHttp(url, "webhook URL");
        this.http = new HttpJson(timeout, bearerToken == null || bearerToken.isBlank() ? Map.of()
                : HttpJson.bearer(bearerToken), true);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String deliver(IncidentEvent event) throws IOException, InterruptedException {
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.put("event", event.kind().label());
        body.put("incidentId", event.incidentId());
        body.put("resourceId", event.resourceId());
        body.put("service", event.service());
        body.put("incidentType", event.incidentType());
        body.put("summary", event.summary());
        body.put("playbook", event.playbook());
        body.put("action", event.action());
        body.put("text", event.text());
        body.put("title", event.title());
        http.send("POST", url, body);
        return "posted to webhook at " + url.getHost();
    }
}
