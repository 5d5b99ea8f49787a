package io.autonomic.act.escalate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autonomic.schemas.avro.RemediationCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a JSON document per escalation to a configured URL (a chat or paging webhook):
 * {@code {"incidentId","resourceId","commandId","idempotencyKey","playbook","action","reason","worker",
 * "atMillis","summary"}}. Sends asynchronously so a slow receiver never stalls the worker; failures and non-2xx
 * answers are logged and counted, never thrown. Command parameters are not sent.
 */
public final class WebhookEscalator implements Escalator {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookEscalator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final String workerId;
    private final Clock clock;
    private final HttpClient client;
    private final Duration timeout;
    private final AtomicLong failures = new AtomicLong();

    public WebhookEscalator(URI url, String workerId, Clock clock) {
        this(url, workerId, clock, DEFAULT_TIMEOUT);
    }

    public WebhookEscalator(URI url, String workerId, Clock clock, Duration timeout) {
        this.url = requireHttp(url);
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    private static URI requireHttp(URI url) {
        Objects.requireNonNull(url, "url");
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                || url.getHost() == null) {
            throw new IllegalArgumentException("webhook URL must be an absolute http(s) URL: " + url);
        }
        return url;
    }

    @Override
    public void escalate(RemediationCommand command, String reason) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(command, reason)))
                    .build();
            send(request, command);
        } catch (RuntimeException | JsonProcessingException e) {
            failures.incrementAndGet();
            LOG.error("escalation webhook for incident {} not sent: {}", command.getIncident().getIncidentId(),
                    e.toString());
        }
    }

    /** Starts the POST; the returned future completes (never exceptionally) when the attempt is over. */
    CompletableFuture<Void> send(HttpRequest request, RemediationCommand command) {
        String incidentId = command.getIncident().getIncidentId();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                        LOG.error("escalation webhook {} failed for incident {}: {}", url, incidentId, error.toString());
                    } else if (response.statusCode() / 100 != 2) {
                        failures.incrementAndGet();
                        LOG.error("escalation webhook {} answered {} for incident {}", url, response.statusCode(),
                                incidentId);
                    }
                    return null;
                });
    }

    String body(RemediationCommand command, String reason) throws JsonProcessingException {
        ObjectNode body = JSON.createObjectNode();
        body.put("incidentId", command.getIncident().getIncidentId());
        body.put("resourceId", command.getTarget().getId());
        body.put("commandId", command.getCommandId());
        body.put("idempotencyKey", command.getIdempotencyKey());
        body.put("playbook", command.getPlaybook());
        body.put("action", command.getAction());
        body.put("reason", reason);
        body.put("worker", workerId);
        body.put("atMillis", clock.millis());
        body.put("summary", "Autonomic escalation: " + command.getAction() + " on " + command.getTarget().getId()
                + " (incident " + command.getIncident().getIncidentId() + "): " + reason);
        return JSON.writeValueAsString(body);
    }

    public long failures() {
        return failures.get();
    }
}
