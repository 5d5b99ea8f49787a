package io.autonomic.cli.demo;

import java.time.Instant;
import java.util.Map;

/**
 * One step of the self-healing loop as the demo observed it on the topics.
 *
 * @param observedAt wall-clock time at which the demo saw the record: what an operator would perceive
 */
public record TimelineEvent(Instant observedAt, Kind kind, String resourceId, String service, String summary,
        Map<String, String> fields) {

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
