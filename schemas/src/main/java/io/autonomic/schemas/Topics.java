package io.autonomic.schemas;

import io.autonomic.schemas.avro.ActionOutcome;
import io.autonomic.schemas.avro.Approval;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.ControlSignal;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ExecutionRecord;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.ThreatIndicator;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.avro.ServiceEdge;
import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.avro.ModelRelease;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalog: every topic Autonomic reads or writes, each with its serdes. Names default to the values
 * below and can be overridden per deployment with {@code --topic.<id>=<name>} (see {@link #withOverrides}).
 *
 * <p>Keys are strings: the resource id for per-resource topics (so one resource's records stay ordered in one
 * partition), the service name for topology, the control name for control signals.
 */
public final class Topics {

    public static final String OTLP_METRICS_ID = "otlp-metrics";
    public static final String OTLP_SPANS_ID = "otlp-spans";
    public static final String OTLP_LOGS_ID = "otlp-logs";

    private final Topic<byte[], byte[]> otlpMetrics;
    private final Topic<byte[], byte[]> otlpSpans;
    private final Topic<byte[], byte[]> otlpLogs;
    private final Topic<byte[], byte[]> cloudEvents;
    private final Topic<String, ServiceEdge> serviceEdges;
    private final Topic<String, LogEvent> logEvents;
    private final Topic<String, TelemetryPoint> points;
    private final Topic<String, EnrichedPoint> enrichedPoints;
    private final Topic<String, Anomaly> anomalies;
    private final Topic<String, Incident> incidents;
    private final Topic<String, RemediationCommand> commands;
    private final Topic<String, AuditEvent> audit;
    private final Topic<String, ResourceHealth> health;
    private final Topic<String, TopologyEntry> topology;
    private final Topic<String, DeadLetter> deadLetters;
    private final Topic<String, ControlSignal> control;
    private final Topic<String, ActionOutcome> outcomes;
    private final Topic<String, Approval> approvals;
    private final Topic<String, ExecutionRecord> executions;
    private final Topic<String, ModelRelease> models;
    private final Topic<String, ThreatIndicator> threatIntel;

    private Topics(Map<String, String> overrides) {
        Serde<String> key = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        Map<String, String> remaining = new LinkedHashMap<>(overrides);
        otlpMetrics = new Topic<>(OTLP_METRICS_ID, name(remaining, OTLP_METRICS_ID, "otlp_metrics"), bytes, bytes, false);
        otlpSpans = new Topic<>(OTLP_SPANS_ID, name(remaining, OTLP_SPANS_ID, "otlp_spans"), bytes, bytes, false);
        otlpLogs = new Topic<>(OTLP_LOGS_ID, name(remaining, OTLP_LOGS_ID, "otlp_logs"), bytes, bytes, false);
        cloudEvents = new Topic<>("cloud-events", name(remaining, "cloud-events", "autonomic.cloud-events"), bytes, bytes, false);
        serviceEdges = new Topic<>("service-edges", name(remaining, "service-edges", "autonomic.service-edges"), key,
                AvroSerde.of(ServiceEdge.class), true);
        logEvents = new Topic<>("log-events", name(remaining, "log-events", "autonomic.log-events"), key,
                AvroSerde.of(LogEvent.class), false);
        points = new Topic<>("points", name(remaining, "points", "autonomic.points"), key, AvroSerde.of(TelemetryPoint.class), false);
        enrichedPoints = new Topic<>("enriched", name(remaining, "enriched", "autonomic.enriched"), key, AvroSerde.of(EnrichedPoint.class), false);
        anomalies = new Topic<>("anomalies", name(remaining, "anomalies", "autonomic.anomalies"), key, AvroSerde.of(Anomaly.class), false);
        incidents = new Topic<>("incidents", name(remaining, "incidents", "autonomic.incidents"), key, AvroSerde.of(Incident.class), false);
        commands = new Topic<>("commands", name(remaining, "commands", "autonomic.commands"), key, AvroSerde.of(RemediationCommand.class), false);
        audit = new Topic<>("audit", name(remaining, "audit", "autonomic.audit"), key, AvroSerde.of(AuditEvent.class), false);
        health = new Topic<>("health", name(remaining, "health", "autonomic.health"), key, AvroSerde.of(ResourceHealth.class), true);
        topology = new Topic<>("topology", name(remaining, "topology", "autonomic.topology"), key, AvroSerde.of(TopologyEntry.class), true);
        deadLetters = new Topic<>("dead-letters", name(remaining, "dead-letters", "autonomic.dead-letters"), key, AvroSerde.of(DeadLetter.class), false);
        control = new Topic<>("control", name(remaining, "control", "autonomic.control"), key, AvroSerde.of(ControlSignal.class), true);
        outcomes = new Topic<>("outcomes", name(remaining, "outcomes", "autonomic.outcomes"), key, AvroSerde.of(ActionOutcome.class), false);
        approvals = new Topic<>("approvals", name(remaining, "approvals", "autonomic.approvals"), key, AvroSerde.of(Approval.class), true);
        executions = new Topic<>("executions", name(remaining, "executions", "autonomic.executions"), key, AvroSerde.of(ExecutionRecord.class), true);
        models = new Topic<>("models", name(remaining, "models", "autonomic.models"), key, AvroSerde.of(ModelRelease.class), true);
        threatIntel = new Topic<>("threat-intel", name(remaining, "threat-intel", "autonomic.threat-intel"), key, AvroSerde.of(ThreatIndicator.class), true);
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("unknown topic id(s) " + remaining.keySet() + " in --topic.<id> options; known ids: "
                    + List.of(OTLP_METRICS_ID, OTLP_SPANS_ID, OTLP_LOGS_ID, "cloud-events", "service-edges", "log-events", "points", "enriched", "anomalies", "incidents", "commands", "audit", "health",
                            "topology", "dead-letters", "control", "outcomes", "approvals", "executions", "models", "threat-intel"));
        }
    }

    private static String name(Map<String, String> overrides, String id, String defaultName) {
        String override = overrides.remove(id);
        return override == null ? defaultName : override;
    }

    /** The catalog with default topic names. */
    public static Topics defaults() {
        return new Topics(Map.of());
    }

    /** The catalog with some names overridden, keyed by topic id; an unknown id fails fast. */
    public static Topics withOverrides(Map<String, String> overridesById) {
        return new Topics(Objects.requireNonNull(overridesById, "overridesById"));
    }

    public Topic<byte[], byte[]> otlpMetrics() { return otlpMetrics; }
    /** OTLP traces as the Collector's kafka exporter writes them (otlp_proto or otlp_json). */
    public Topic<byte[], byte[]> otlpSpans() { return otlpSpans; }
    /** OTLP logs as the Collector's kafka exporter writes them (otlp_proto or otlp_json). */
    public Topic<byte[], byte[]> otlpLogs() { return otlpLogs; }
    /** EventBridge JSON: CloudWatch alarm state changes, AWS Config compliance changes. */
    public Topic<byte[], byte[]> cloudEvents() { return cloudEvents; }
    /** The service dependency graph observed in traces, compacted by {@code caller->callee}. */
    public Topic<String, ServiceEdge> serviceEdges() { return serviceEdges; }
    /** Normalized log records with their mined template. */
    public Topic<String, LogEvent> logEvents() { return logEvents; }
    public Topic<String, TelemetryPoint> points() { return points; }
    public Topic<String, EnrichedPoint> enrichedPoints() { return enrichedPoints; }
    public Topic<String, Anomaly> anomalies() { return anomalies; }
    public Topic<String, Incident> incidents() { return incidents; }
    public Topic<String, RemediationCommand> commands() { return commands; }
    public Topic<String, AuditEvent> audit() { return audit; }
    public Topic<String, ResourceHealth> health() { return health; }
    public Topic<String, TopologyEntry> topology() { return topology; }
    public Topic<String, DeadLetter> deadLetters() { return deadLetters; }
    public Topic<String, ControlSignal> control() { return control; }
    /** How each remediation action ended (SUCCEEDED / FAILED / ESCALATED), written by the worker: labels for models. */
    public Topic<String, ActionOutcome> outcomes() { return outcomes; }
    /** Human approvals of NEEDS_APPROVAL commands, compacted by command id; read by the worker. */
    public Topic<String, Approval> approvals() { return approvals; }
    /** Every worker's executions, compacted by idempotency key: consulted before executing. */
    public Topic<String, ExecutionRecord> executions() { return executions; }
    /** Trained models for the live jobs, compacted by model name: the latest release of each is the live one. */
    public Topic<String, ModelRelease> models() { return models; }
    /** Threat intelligence (reputation, block lists, bad user agents, CIDR to country/ASN), compacted by entry key. */
    public Topic<String, ThreatIndicator> threatIntel() { return threatIntel; }

    public List<Topic<?, ?>> all() {
        return List.of(otlpMetrics, otlpSpans, otlpLogs, cloudEvents, serviceEdges, logEvents, points, enrichedPoints, anomalies, incidents, commands, audit, health, topology,
                deadLetters, control, outcomes, approvals, executions, models, threatIntel);
    }
}
