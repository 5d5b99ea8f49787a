package io.autonomic.cli.demo;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a scenario with dependents played out as one correlated incident: a single incident across the faulty
 * service and its dependents, whose top root cause is the faulty service, and commands only for that service.
 * Scenarios without dependents pass trivially.
 *
 * @param incidents every incident id seen for the scenario's services, with the service of its top root cause
 *        as last reported
 * @param commandedServices the services commands were issued for, in order seen
 * @param inhibited the resources the incident inhibited, as last reported
 */
record CorrelationCheck(Scenario scenario, Map<String, String> incidents, List<String> commandedServices,
        List<String> inhibited) {

    static CorrelationCheck of(Scenario scenario, List<TimelineEvent> events) {
        Map<String, String> incidents = new LinkedHashMap<>();
        List<String> commanded = new ArrayList<>();
        List<String> inhibited = List.of();
        for (TimelineEvent event : events) {
            boolean incidentEvent = event.kind() == Kind.INCIDENT_OPENED || event.kind() == Kind.INCIDENT_UPDATED
                    || event.kind() == Kind.INCIDENT_RESOLVED;
            if (incidentEvent && event.fields().containsKey("incidentId")) {
                incidents.put(event.fields().get("incidentId"), topRootCause(event));
                if (event.incident() != null && !event.incident().inhibited().isEmpty()) {
                    inhibited = event.incident().inhibited();
                }
            }
            if (event.kind() == Kind.COMMAND_ISSUED) {
                commanded.add(event.service());
            }
        }
        return new CorrelationCheck(scenario, incidents, commanded, inhibited);
    }

    /** The service of the incident's top-ranked root cause, else of the incident's resource (also the top cause). */
    private static String topRootCause(TimelineEvent event) {
        if (event.incident() != null && !event.incident().rootCauses().isEmpty()) {
            return event.incident().rootCauses().get(0).service();
        }
        return event.service();
    }

    boolean holds() {
        if (scenario.dependents().isEmpty()) {
            return true;
        }
        return incidents.size() == 1 && scenario.service().equals(incidents.values().iterator().next())
                && !commandedServices.isEmpty() && commandedServices.stream().allMatch(scenario.service()::equals);
    }

    String describe() {
        Set<String> rootCauses = new LinkedHashSet<>(incidents.values());
        return incidents.size() + (incidents.size() == 1 ? " incident" : " incidents") + " for " + scenario.service()
                + " and its " + scenario.dependents().size() + " dependents, root cause "
                + (rootCauses.isEmpty() ? "none" : String.join(", ", rootCauses))
                + (inhibited.isEmpty() ? "" : ", " + inhibited.size() + " inhibited")
                + "; commands for " + (commandedServices.isEmpty() ? "nothing"
                        : String.join(", ", new LinkedHashSet<>(commandedServices)) + " (" + commandedServices.size()
                                + ")");
    }
}
