package io.autonomic.detect.incident;

/**
 * Bookkeeping of one correlated incident next to the incident itself in the correlator's state (a POJO with public
 * fields so Flink serializes it without Kryo).
 */
public class CorrelationTracking {

    public static final long NONE = Long.MIN_VALUE;

    /** Onset of the first member: the incident's opening time. */
    public long openedMillis;
    /** Latest anomaly time of any member: a related resource joins while its onset is within the window of it. */
    public long lastEvidenceMillis = NONE;
    /** Whether the incident has been published (OPEN) yet. */
    public boolean emitted;
    /** Members or evidence arrived since the last publication. */
    public boolean dirty;
    public long lastEmittedMillis = NONE;
    /** When the incident is next published (OPEN or UPDATED), or NONE. */
    public long emitTimerMillis = NONE;
    /** Playbook a command was issued for; at most one playbook per incident. */
    public String issuedPlaybook;
    /**
     * Members of the root cause's own service that got the same playbook as peers of the root cause (an array, not a
     * list, so Flink serializes it without Kryo).
     */
    public String[] commandedPeers = new String[0];
    /** Anomalies not added because the evidence already held one of the same resource, metric and detector. */
    public long suppressedDuplicates;

    public CorrelationTracking() {
    }
}
