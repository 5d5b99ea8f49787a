package io.autonomic.cli.demo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One step of the self-healing loop as the demo observed it on the topics.
 *
 * @param observedAt wall-clock time at which the demo saw the record: what an operator would perceive
 * @param incident for incident events, the correlation the incident carries; null for other events
 */
public record TimelineEvent(Instant observedAt, Kind kind, String resourceId, String service, String summary,
        Map<String, String> fields, Correlation incident) {

    public TimelineEvent(Instant observedAt, Kind kind, String resourceId, String service, String summary,
            Map<String, String> fields) {
        this(observedAt, kind, resourceId, service, summary, fields, null);
    }

    /**
     * What a correlated incident says beyond its diagnosis: the ranked root-cause candidates, every resource in it,
     * the resources whose own alerts were inhibited, and how many duplicate anomalies were folded in.
     */
    public record Correlation(List<RankedCause> rootCauses, List<String> resources, List<String> inhibited,
            long suppressedDuplicates) {

        public Correlation {
            rootCauses = List.copyOf(rootCauses);
            resources = List.copyOf(resources);
            inhibited = List.copyOf(inhibited);
        }

        /** True when there is anything to show beyond the incident's own resource. */
        public boolean isCorrelated() {
            return !rootCauses.isEmpty() || resources.size() > 1 || !inhibited.isEmpty();
        }
    }

    /** One root-cause candidate, in rank order. */
    public record RankedCause(String resourceId, String service, String layer, double score, List<String> reasons) {

        public RankedCause {
            reasons = List.copyOf(reasons);
        }
    }

    public enum Kind {
        FAULT_INJECTED("fault injected"),
        ANOMALY_DETECTED("anomaly detected"),
        INCIDENT_OPENED("incident opened"),
        INCIDENT_UPDATED("incident updated"),
        COMMAND_ISSUED("command issued"),
        COMMAND_RECEIVED("command received"),
        GUARD_PASSED("guard passed"),
        GUARD_BLOCKED("guard blocked"),
        PROPOSED("proposed (shadow)"),
        APPROVED("approved"),
        ACTION_STARTED("action started"),
        ACTION_EXECUTED("action executed"),
        ACTION_FAILED("action failed"),
        RECOVERY_VERIFIED("recovery verified"),
        VERIFICATION_FAILED("verification failed"),
        ESCALATED("escalated"),
        INCIDENT_RESOLVED("incident resolved"),
        REMEDIATION_CLOSED("remediation closed"),
        RESOURCE_HEALTH("health changed"),
        OPERATOR("operator"),
        PROGRESS("progress"),
        OTHER("audit");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
