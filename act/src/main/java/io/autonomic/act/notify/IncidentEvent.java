package io.autonomic.act.notify;

import io.autonomic.act.ActionRequest;
import io.autonomic.schemas.avro.RemediationCommand;
import java.util.Locale;
import java.util.Objects;

/**
 * What a notification channel is told: one lifecycle step of one incident, with the few facts a human needs.
 * Built from a command (the worker's hooks) or from an action request (a playbook step).
 *
 * @param kind opened, escalated or resolved
 * @param incidentId the incident: PagerDuty's dedup key, the ticket store's key
 * @param resourceId the resource the incident is about
 * @param service its service, or null
 * @param incidentType the diagnosis' incident type, or null
 * @param summary one line describing the incident
 * @param playbook the playbook acting on it, or null
 * @param action the remediation action, or null
 * @param text what happened at this step (the detail or escalation reason)
 */
public record IncidentEvent(Kind kind, String incidentId, String resourceId, String service, String incidentType,
        String summary, String playbook, String action, String text) {

    public enum Kind {
        OPENED, ESCALATED, RESOLVED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String raw) {
            for (Kind kind : values()) {
                if (kind.label().equalsIgnoreCase(raw)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("event must be one of opened, escalated, resolved: '" + raw + "'");
        }
    }

    public IncidentEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(resourceId, "resourceId");
        summary = summary == null ? "" : summary;
        text = text == null ? "" : text;
    }

    public static IncidentEvent of(Kind kind, RemediationCommand command, String text) {
        var incident = command.getIncident();
        var diagnosis = incident.getDiagnosis();
        return new IncidentEvent(kind, incident.getIncidentId(), command.getTarget().getId(),
                command.getTarget().getService(), diagnosis == null ? null : diagnosis.getIncidentType(),
                diagnosis == null ? "" : diagnosis.getSummary(), command.getPlaybook(), command.getAction(), text);
    }

    /**
     * From a playbook step: parameters {@code event} (opened, escalated or resolved; default {@code opened}),
     * {@code incident-id} (default: the idempotency key up to its first '/', which is how detect builds keys),
     * {@code summary} and {@code message}.
     */
    public static IncidentEvent of(ActionRequest request) {
        String event = request.parameter("event");
        String incidentId = request.parameter("incident-id");
        if (incidentId == null) {
            String key = request.idempotencyKey();
            incidentId = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
        }
        String summary = request.parameter("summary");
        return new IncidentEvent(event == null ? Kind.OPENED : Kind.parse(event), incidentId,
                request.target().getId(), request.target().getService(), request.parameter("incident-type"),
                summary == null ? "incident on " + request.target().getId() : summary, request.parameter("playbook"),
                request.action(), request.parameter("message"));
    }

    /** A one-line title, e.g. {@code [Autonomic] escalated: http-5xx on process:host-1/checkout}. */
    public String title() {
        return "[Autonomic] " + kind.label() + ": " + (incidentType == null ? "incident" : incidentType) + " on "
                + resourceId;
    }

    /** A few lines for humans. */
    public String body() {
        StringBuilder body = new StringBuilder();
        body.append(summary.isEmpty() ? title() : summary).append('\n');
        body.append("incident: ").append(incidentId).append('\n');
        body.append("resource: ").append(resourceId).append(service == null ? "" : " (service " + service + ")").append('\n');
        if (playbook != null) {
            body.append("playbook: ").append(playbook).append(action == null ? "" : ", action " + action).append('\n');
        }
        if (!text.isEmpty()) {
            body.append(kind.label()).append(": ").append(text).append('\n');
        }
        return body.toString();
    }
}
