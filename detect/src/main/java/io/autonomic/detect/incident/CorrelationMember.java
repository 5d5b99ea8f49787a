package io.autonomic.detect.incident;

/** Which correlated incident a resource belongs to, and since when (a POJO for Flink state). */
public class CorrelationMember {

    public String incidentId;
    /** Event time of the resource's first anomaly in the incident. */
    public long onsetMillis;

    public CorrelationMember() {
    }

    CorrelationMember(String incidentId, long onsetMillis) {
        this.incidentId = incidentId;
        this.onsetMillis = onsetMillis;
    }
}
