package io.autonomic.detect.incident;

/**
 * Bookkeeping of one resource's open incident, next to the incident itself in Flink state (a POJO with public
 * fields so Flink serializes it without Kryo).
 */
public class IncidentTracking {

    public static final long NONE = Long.MIN_VALUE;

    public long firstAnomalyMillis;
    public long lastAnomalyMillis = NONE;
    /** Last anomaly from a threshold rule; once there is one, only rule anomalies keep the resource unhealthy. */
    public long lastRuleAnomalyMillis = NONE;
    /** Latest point time of the resource seen while the incident is open: proof it is still reporting. */
    public long maxPointMillis = NONE;
    /** Whether the incident has been published (OPEN) yet. */
    public boolean emitted;
    /** Evidence arrived since the last publication. */
    public boolean dirty;
    public long lastEmittedMillis = NONE;
    /** Pending event-time timer that publishes the incident (OPEN or UPDATED), or NONE. */
    public long emitTimerMillis = NONE;
    /** Pending event-time timer that checks recovery, at the first point seen past the recovery period, or NONE. */
    public long livenessTimerMillis = NONE;
    /** Playbook a command was issued for; at most one command per incident. */
    public String issuedPlaybook;
    /** Incident type last published on the health topic, to republish health only when it changes. */
    public String publishedIncidentType;

    public IncidentTracking() {
    }

    /**
     * The anomaly recovery is measured from. A rule anomaly is the explicit definition of broken; after a fix, the
     * learned baselines of a restarted process (fresh heap, reset counters) shift and must not hold a repaired
     * resource unhealthy. Without rule evidence every anomaly counts.
     */
    public long blockingAnomalyMillis() {
        return lastRuleAnomalyMillis != NONE ? lastRuleAnomalyMillis : lastAnomalyMillis;
    }
}
