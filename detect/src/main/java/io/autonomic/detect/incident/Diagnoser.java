package io.autonomic.detect.incident;

import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.Resource;
import java.io.Serializable;
import java.util.List;

/** Names what an incident is from its evidence. Implementations must be deterministic: replays re-diagnose. */
public interface Diagnoser extends Serializable {

    /** Incident type used when no rule-backed evidence says what is wrong. */
    String UNKNOWN = "unknown";

    /**
     * @param resource the resource the incident is about
     * @param evidence its anomalies, never empty, in arrival order
     */
    Diagnosis diagnose(Resource resource, List<Anomaly> evidence);
}
