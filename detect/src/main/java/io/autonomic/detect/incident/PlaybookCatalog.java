package io.autonomic.detect.incident;

import io.autonomic.detect.config.ParameterTemplates;
import io.autonomic.detect.config.Playbook;
import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configured playbooks, and the decision whether an incident gets a command: a playbook must exist for its
 * type and the root cause's resource kind (one declared for that kind beats one for any kind; among equals the first
 * in configuration order wins), the diagnosis must be confident enough, and every parameter template must resolve
 * from the incident's evidence and resource. Otherwise the incident goes to humans, with the reason.
 */
public final class PlaybookCatalog implements Serializable {

    private final List<Playbook> playbooks;

    public PlaybookCatalog(List<Playbook> playbooks) {
        this.playbooks = List.copyOf(playbooks);
    }

    /** The first playbook of the type, whatever resource kind it is for. */
    public Optional<Playbook> forIncidentType(String incidentType) {
        return playbooks.stream().filter(p -> p.incidentType().equals(incidentType)).findFirst();
    }

    /** The playbook for an incident of this type whose root cause is of this kind. */
    public Optional<Playbook> forIncident(String incidentType, ResourceKind kind) {
        Optional<Playbook> forKind = playbooks.stream()
                .filter(p -> p.incidentType().equals(incidentType) && p.resourceKind() != null
                        && p.resourceKind() == kind)
                .findFirst();
        return forKind.isPresent() ? forKind : playbooks.stream()
                .filter(p -> p.incidentType().equals(incidentType) && p.resourceKind() == null).findFirst();
    }

    public List<Playbook> all() {
        return playbooks;
    }

    /** Decides whether and how to act on a diagnosed incident. */
    public Decision decide(Diagnosis diagnosis, Resource resource, List<Anomaly> evidence, double minConfidence) {
        Optional<Playbook> match = forIncident(diagnosis.getIncidentType(), resource.getKind());
        if (match.isEmpty()) {
            return Decision.withheld("no playbook for incident type " + diagnosis.getIncidentType()
                    + (forIncidentType(diagnosis.getIncidentType()).isPresent() ? " on a " + resource.getKind() : ""));
        }
        Playbook playbook = match.get();
        if (diagnosis.getConfidence() < minConfidence) {
            return Decision.withheld(String.format(Locale.ROOT, "confidence %.2f is below %.2f for playbook %s",
                    diagnosis.getConfidence(), minConfidence, playbook.name()));
        }
        List<Anomaly> ordered = evidenceOrder(evidence, diagnosis.getIncidentType());
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        for (Map.Entry<String, String> parameter : playbook.parameters().entrySet()) {
            List<String> missing = new ArrayList<>();
            ParameterTemplates.resolve(parameter.getValue(), reference -> lookup(reference, resource, ordered), missing)
                    .ifPresent(value -> parameters.put(parameter.getKey(), value));
            missing.forEach(m -> unresolved.add(parameter.getKey() + " needs " + m));
        }
        if (!unresolved.isEmpty()) {
            return Decision.withheld("playbook " + playbook.name() + " cannot run: " + String.join(", ", unresolved)
                    + ", which neither the evidence nor the resource carries");
        }
        return new Decision(playbook, Map.copyOf(parameters), null);
    }

    /** Rule anomalies of the diagnosed type first: they are the evidence that triggered this playbook. */
    private static List<Anomaly> evidenceOrder(List<Anomaly> evidence, String incidentType) {
        List<Anomaly> ordered = new ArrayList<>(evidence.size());
        for (Anomaly anomaly : evidence) {
            if (Anomalies.incidentType(anomaly).filter(incidentType::equals).isPresent()) {
                ordered.add(anomaly);
            }
        }
        for (Anomaly anomaly : evidence) {
            if (Anomalies.incidentType(anomaly).filter(incidentType::equals).isEmpty()) {
                ordered.add(anomaly);
            }
        }
        return ordered;
    }

    private static Optional<String> lookup(String reference, Resource resource, List<Anomaly> evidence) {
        if (ParameterTemplates.RESOURCE_ID.equals(reference)) {
            return Optional.of(resource.getId());
        }
        if (ParameterTemplates.RESOURCE_SERVICE.equals(reference)) {
            return Optional.ofNullable(resource.getService());
        }
        String attribute = reference.substring(ParameterTemplates.ATTRIBUTE_PREFIX.length());
        for (Anomaly anomaly : evidence) {
            String value = anomaly.getAttributes().get(attribute);
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /**
     * The outcome: a playbook with resolved parameters, or the reason there is no command.
     *
     * @param playbook null when no command is issued
     * @param withheldReason null when a command is issued
     */
    public record Decision(Playbook playbook, Map<String, String> parameters, String withheldReason) {

        static Decision withheld(String reason) {
            return new Decision(null, Map.of(), reason);
        }

        public boolean issuesCommand() {
            return playbook != null;
        }
    }
}
