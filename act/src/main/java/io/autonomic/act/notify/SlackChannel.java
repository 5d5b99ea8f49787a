package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Posts to a Slack incoming webhook: {@code {"text": "<title>", "blocks": [section with the body]}}. The webhook
 * URL is itself the secret: it is never logged (errors name only its host).
 */
public final class SlackChannel implements NotificationChannel {

    private final URI webhook;
    private final HttpJson http;

    public SlackChannel(URI webhook, Duration timeout) {
        this.webhook = HttpJson.requireHttp(webhook, "Slack webhook URL");
        this.http = new HttpJson(timeout, Map.of(), true);
    }

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public String deliver(IncidentEvent event) throws IOException, InterruptedException {
        ObjectNode body = HttpJson.JSON.createObjectNode();
        body.put("text", event.title());
        ObjectNode section = body.putArray("blocks").addObject();
        section.put("type", "section");
        ObjectNode text = section.putObject("text");
        text.put("type", "mrkdwn");
        text.put("text", "*" + event.title() + "*\n" + event.body());
        http.send("POST", webhook, body);
        return "posted to Slack";
    }
}
