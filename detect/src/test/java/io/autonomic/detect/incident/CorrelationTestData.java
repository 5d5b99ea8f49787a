package io.autonomic.detect.incident;

import static io.autonomic.detect.TestPoints.at;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.IncidentSettings;
import io.autonomic.detect.config.Playbook;
import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TopologyContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Resources of a small shop (a database and its callers) and per-resource incident signals about them. */
final class CorrelationTestData {

    static final String DB = "process:db-1/orders-db";
    static final String CHECKOUT = "process:host-1/checkout";
    static final String ORDERS = "process:host-2/orders";
    static final String PAYMENTS = "process:host-3/payments";
    static final String REPORTS = "process:host-4/reports";
    static final String DB_ERRORS = "db.server.io.error_ratio";
    static final String HTTP_ERRORS = "http.server.error_ratio";

    static final ThresholdRule DB_IO_ERRORS = new ThresholdRule("db-io-errors", DB_ERRORS, 0.1, null,
            Duration.ofSeconds(3), "db-degradation", Map.of());
    static final Playbook RESTART_DB = new Playbook("restart-db-on-io-errors", "db-degradation", "process.restart",
            ExecutionMode.EXECUTE, Duration.ofSeconds(60), Duration.ofMinutes(2), Map.of());

    private CorrelationTestData() {
    }

    /** The shipped configuration plus the database rule and playbook. */
    static DetectConfig config(IncidentSettings settings) {
        DetectConfig defaults = DetectConfig.defaults();
        List<ThresholdRule> rules = new ArrayList<>(defaults.rules());
        rules.add(DB_IO_ERRORS);
        List<Playbook> playbooks = new ArrayList<>(defaults.playbooks());
        playbooks.add(RESTART_DB);
        return new DetectConfig(rules, playbooks, settings, defaults.detector());
    }

    static TopologyContext context(String service, Layer layer, String environment, List<String> dependencies) {
        return TopologyContext.newBuilder()
                .setFound(true)
                .setService(service)
                .setLayer(layer)
                .setEnvironment(environment)
                .setDependencies(dependencies)
                .build();
    }

    static TopologyContext database() {
        return context("orders-db", Layer.DATA, "demo", List.of());
    }

    static TopologyContext callerOfDatabase(String service) {
        return context(service, Layer.APPLICATION, "demo", List.of("orders-db"));
    }

    static Resource resource(String id) {
        String service = id.substring(id.lastIndexOf('/') + 1);
        return Resource.newBuilder().setId(id).setKind(ResourceKind.HOST_PROCESS).setService(service).build();
    }

    /** A rule anomaly carrying the rule's incident type, as {@link Anomalies#fromRule} builds it. */
    static Anomaly rule(String resourceId, TopologyContext context, ThresholdRule rule, double seconds, double value) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(Anomalies.INCIDENT_TYPE_ATTRIBUTE, rule.incidentType());
        attributes.put(Anomalies.RULE_ATTRIBUTE, rule.name());
        return anomaly(resourceId, context, rule.metric(), Anomalies.RULE_DETECTOR_PREFIX + rule.name(), attributes,
                seconds, value, 0.8);
    }

    /** A learned-baseline anomaly. */
    static Anomaly learned(String resourceId, TopologyContext context, String metric, double seconds, double score) {
        return anomaly(resourceId, context, metric, Anomalies.EWMA_DETECTOR, Map.of(), seconds, 0.3, score);
    }

    private static Anomaly anomaly(String resourceId, TopologyContext context, String metric, String detector,
            Map<String, String> attributes, double seconds, double value, double score) {
        String seriesKey = resourceId + "|" + metric;
        return Anomaly.newBuilder()
                .setAnomalyId(Anomalies.anomalyId(seriesKey, at(seconds), detector))
                .setResource(resource(resourceId))
                .setContext(context)
                .setSeriesKey(seriesKey)
                .setMetric(metric)
                .setAttributes(attributes)
                .setTimestampMillis(at(seconds))
                .setObserved(value)
                .setExpected(0)
                .setLower(0)
                .setUpper(0.1)
                .setScore(score)
                .setDetector(detector)
                .setReason(metric + "=" + value)
                .build();
    }

    /** A per-resource incident signal as {@link ResourceIncidentFunction#signalsForCorrelation} emits it. */
    static Incident signal(IncidentStatus status, double openedSeconds, double atSeconds, List<Anomaly> evidence) {
        Anomaly first = evidence.get(0);
        String resourceId = first.getResource().getId();
        return Incident.newBuilder()
                .setIncidentId(IncidentIds.incidentId(resourceId, at(openedSeconds)))
                .setStatus(status)
                .setResource(first.getResource())
                .setContext(first.getContext())
                .setOpenedAtMillis(at(openedSeconds))
                .setUpdatedAtMillis(at(atSeconds))
                .setResolvedAtMillis(status == IncidentStatus.RESOLVED ? at(atSeconds) : null)
                .setDiagnosis(Diagnosis.newBuilder().setIncidentType(Diagnoser.UNKNOWN).setSummary("per resource")
                        .setConfidence(0).setRootCause(resourceId).build())
                .setEvidence(new ArrayList<>(evidence))
                .build();
    }

    static Incident opened(double seconds, Anomaly... evidence) {
        return signal(IncidentStatus.OPEN, seconds, seconds, List.of(evidence));
    }
}
