package io.autonomic.act.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One ServiceNow incident per Autonomic incident, through the Table API: the first event creates it
 * ({@code POST /api/now/table/incident} with {@code correlation_id} = the incident id), later events add work notes
 * ({@code PATCH /api/now/table/incident/<sys_id>}), and the resolution sets {@code state} 6 (Resolved) with the
 * configured close code and the detail as close notes. The sys_id per incident lives in a {@link TicketStore}.
 */
public final class ServiceNowChannel implements NotificationChannel {

    public static final String STATE_RESOLVED = "6";
    public static final String DEFAULT_CLOSE_CODE = "Solved (Permanently)";

    private final URI instance;
    private final String closeCode;
    private final TicketStore tickets;
    private final HttpJson http;

    /**
     * @param instance e.g. {@code https://example.service-now.com}
     * @param closeCode a close_code choice of the instance, e.g. {@value #DEFAULT_CLOSE_CODE}
     */
    public ServiceNowChannel(URI instance, String user, String password, String closeCode, TicketStore tickets,
            Duration timeout) {
        this.instance = HttpJson.requireHttp(instance, "ServiceNow instance URL");
        this.closeCode = closeCode == null || closeCode.isBlank() ? DEFAULT_CLOSE_CODE : closeCode;
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.http = new HttpJson(timeout, HttpJson.basicAuth(Objects.requireNonNull(user, "user"),
                Objects.requireNonNull(password, "password")));
    }

    @Override
    public String name() {
        return "servicenow";
    }

    private URI table(String suffix) {
        return URI.create(instance.toString().replaceAll("/+$", "") + "/api/now/table/incident" + suffix);
    }

    @Override
    public String deliver(IncidentEvent event) throws IOException, InterruptedException {
        Optional<String> existing = tickets.ticket(name(), event.incidentId());
        if (existing.isEmpty()) {
            if (event.kind() == IncidentEvent.Kind.RESOLVED) {
                return "no ServiceNow incident for incident " + event.incidentId();
            }
            ObjectNode body = HttpJson.JSON.createObjectNode();
            String title = event.title();
            body.put("short_description", title.length() <= 160 ? title : title.substring(0, 160));
            body.put("description", event.body());
            body.put("correlation_id", event.incidentId());
            body.put("correlation_display", "Autonomic");
            body.put("urgency", event.kind() == IncidentEvent.Kind.ESCALATED ? "1" : "2");
            body.put("impact", "2");
            JsonNode created = http.send("POST", table("?sysparm_fields=sys_id,number"), body);
            String sysId = created.path("result").path("sys_id").asText("");
            if (sysId.isEmpty() || !sysId.matches("[0-9a-f]{32}")) {
                throw new NotificationException("ServiceNow created an incident but answered no sys_id: " + created, 0);
            }
            tickets.put(name(), event.incidentId(), sysId);
            return "created ServiceNow incident " + created.path("result").path("number").asText(sysId);
        }
        String sysId = existing.get();
        ObjectNode body = HttpJson.JSON.createObjectNode();
        if (event.kind() == IncidentEvent.Kind.RESOLVED) {
            body.put("state", STATE_RESOLVED);
            body.put("close_code", closeCode);
            body.put("close_notes", event.text().isEmpty() ? "Resolved by Autonomic: recovery verified" : event.text());
        } else {
            body.put("work_notes", event.kind().label() + ": " + (event.text().isEmpty() ? event.title() : event.text()));
        }
        http.send("PATCH", table("/" + sysId), body);
        if (event.kind() == IncidentEvent.Kind.RESOLVED) {
            tickets.remove(name(), event.incidentId());
            return "resolved ServiceNow incident " + sysId;
        }
        return "updated ServiceNow incident " + sysId;
    }
}
