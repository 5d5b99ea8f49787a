package io.autonomic.models.diagnosis;

import java.util.List;
import java.util.Objects;

/**
 * One line of an incident history: what an incident looked like (its signature tokens), what it turned out to be,
 * and the fix that was tried.
 *
 * @param id unique within the history
 * @param family the failure family it was generated from or filed under (free text for real history)
 * @param incidentType the type it turned out to be (the label the classifier learns)
 * @param resourceKind the kind of the root-cause resource, e.g. {@code ECS_SERVICE}
 * @param signature the incident's signature tokens, sorted
 * @param playbook the playbook that was run, empty when none
 * @param outcome {@code resolved}, {@code escalated}, or {@code no-action}
 */
public record PastIncident(String id, String family, String incidentType, String resourceKind,
        List<String> signature, String playbook, String outcome) {

    public static final String RESOLVED = "resolved";
    public static final String ESCALATED = "escalated";
    public static final String NO_ACTION = "no-action";

    public PastIncident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(incidentType, "incidentType");
        signature = List.copyOf(signature);
        family = family == null ? "" : family;
        resourceKind = resourceKind == null ? "UNKNOWN" : resourceKind;
        playbook = playbook == null ? "" : playbook;
        outcome = outcome == null ? "" : outcome;
    }

    public IncidentSignature incidentSignature() {
        return IncidentSignature.of(signature);
    }
}
