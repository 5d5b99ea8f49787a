package io.autonomic.detect.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How anomalies become incidents, and how incidents of related resources are correlated into one.
 *
 * @param groupWindow anomalies of one resource within this window after the first one form one incident, which is
 *     emitted when the window closes; later evidence is published at most once per window. A correlated incident
 *     waits the same window after its first member's onset before it is published, so related resources failing
 *     shortly after join it before its command is decided
 * @param recoveryPeriod the resource is healthy again once it kept reporting for this long without a blocking anomaly
 * @param minConfidence a diagnosis below this confidence issues no command: the incident goes to humans
 * @param maxEvidence evidence kept per incident; beyond it, weaker anomalies give way to stronger ones
 * @param correlate true: resources related through the topology share one incident with ranked root causes (see
 *     docs/correlation.md); false: one incident per resource, each with its own command
 * @param correlationWindow a resource joins an open incident of a related resource when its first anomaly comes no
 *     later than this after the incident's latest evidence
 * @param maxHops how many dependency edges (declared or observed, either direction) may separate a resource from an
 *     incident member for it to count as related
 * @param maxMembers resources per correlated incident; a further related resource opens its own incident
 */
public record IncidentSettings(Duration groupWindow, Duration recoveryPeriod, double minConfidence, int maxEvidence,
        boolean correlate, Duration correlationWindow, int maxHops, int maxMembers) implements Serializable {

    public static final Duration DEFAULT_CORRELATION_WINDOW = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_HOPS = 2;
    public static final int DEFAULT_MAX_MEMBERS = 20;

    public static final IncidentSettings DEFAULTS = new IncidentSettings(Duration.ofSeconds(3), Duration.ofSeconds(8),
            0.5, 50, true, DEFAULT_CORRELATION_WINDOW, DEFAULT_MAX_HOPS, DEFAULT_MAX_MEMBERS);

    public IncidentSettings {
        Objects.requireNonNull(groupWindow, "groupWindow");
        Objects.requireNonNull(recoveryPeriod, "recoveryPeriod");
        Objects.requireNonNull(correlationWindow, "correlationWindow");
        if (groupWindow.isZero() || groupWindow.isNegative()) {
            throw new IllegalArgumentException("groupWindow must be positive");
        }
        if (recoveryPeriod.isZero() || recoveryPeriod.isNegative()) {
            throw new IllegalArgumentException("recoveryPeriod must be positive");
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("minConfidence must be within [0, 1]");
        }
        if (maxEvidence < 1) {
            throw new IllegalArgumentException("maxEvidence must be at least 1");
        }
        if (correlationWindow.isNegative()) {
            throw new IllegalArgumentException("correlationWindow must not be negative");
        }
        if (maxHops < 1) {
            throw new IllegalArgumentException("maxHops must be at least 1");
        }
        if (maxMembers < 1) {
            throw new IllegalArgumentException("maxMembers must be at least 1");
        }
    }

    /** The per-resource settings with the default correlation. */
    public IncidentSettings(Duration groupWindow, Duration recoveryPeriod, double minConfidence, int maxEvidence) {
        this(groupWindow, recoveryPeriod, minConfidence, maxEvidence, true, DEFAULT_CORRELATION_WINDOW,
                DEFAULT_MAX_HOPS, DEFAULT_MAX_MEMBERS);
    }

    /** These settings with correlation switched on or off. */
    public IncidentSettings withCorrelation(boolean enabled) {
        return new IncidentSettings(groupWindow, recoveryPeriod, minConfidence, maxEvidence, enabled,
                correlationWindow, maxHops, maxMembers);
    }
}
