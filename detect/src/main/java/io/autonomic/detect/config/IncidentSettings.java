package io.autonomic.detect.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How anomalies become incidents.
 *
 * @param groupWindow anomalies of one resource within this window after the first one form one incident, which is
 *     emitted when the window closes; later evidence is published at most once per window
 * @param recoveryPeriod the resource is healthy again once it kept reporting for this long without a blocking anomaly
 * @param minConfidence a diagnosis below this confidence issues no command: the incident goes to humans
 * @param maxEvidence evidence kept per incident; beyond it, weaker anomalies give way to stronger ones
 */
public record IncidentSettings(Duration groupWindow, Duration recoveryPeriod, double minConfidence, int maxEvidence)
        implements Serializable {

    public static final IncidentSettings DEFAULTS =
            new IncidentSettings(Duration.ofSeconds(3), Duration.ofSeconds(8), 0.5, 50);

    public IncidentSettings {
        Objects.requireNonNull(groupWindow, "groupWindow");
        Objects.requireNonNull(recoveryPeriod, "recoveryPeriod");
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
    }
}
