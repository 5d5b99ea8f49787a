package io.autonomic.detect.incident;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.IncidentSettings;
import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.detect.scoring.PointDeadLetters;
import io.autonomic.detect.scoring.ScoredPoint;
import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import io.autonomic.schemas.flink.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one resource's scored points (keyed by resource id) into incidents, commands and health, in event time.
 *
 * <ul>
 *   <li>The first anomaly opens a pending incident and starts the group window; when the watermark passes its end
 *       the incident is published OPEN with its diagnosis, the resource UNHEALTHY (since the first anomaly), and, if
 *       the {@link PlaybookCatalog} agrees, one {@link RemediationCommand}.
 *   <li>Later anomalies join the evidence and are published as UPDATED at most once per group window. An update is
 *       re-diagnosed, so an incident opened on learned anomalies gets its command once a rule confirms the type; an
 *       incident never gets more than one command.
 *   <li>Recovery: once a point at or after {@code last blocking anomaly + recoveryPeriod} arrives, a timer at that
 *       point's time checks (after the watermark has passed it, so late anomalies are counted) that nothing blocking
 *       happened meanwhile; then the resource is HEALTHY since that time, the incident RESOLVED (after it was
 *       published OPEN) and all state of the key cleared. No points at all (a crashed process) means no recovery. See
 *       {@link IncidentTracking#blockingAnomalyMillis()} for which anomalies block.
 * </ul>
 * Commands, health and dead letters leave through the side outputs {@link #COMMANDS}, {@link #HEALTH} and
 * {@link DeadLetters#TAG}.
 *
 * <p>In front of the {@link IncidentCorrelator} ({@link #signalsForCorrelation}) the function decides no commands: its
 * incidents are per-resource signals. The OPEN signal leaves at the first anomaly (the correlator holds the group
 * window itself, across resources), UPDATED at most once per group window while evidence arrives, RESOLVED on
 * recovery. Health is reported here in both modes: it is about the resource, whichever incident it belongs to.
 */
public final class ResourceIncidentFunction extends KeyedProcessFunction<String, ScoredPoint, Incident> {

    public static final OutputTag<RemediationCommand> COMMANDS =
            new OutputTag<>("commands", TypeInformation.of(RemediationCommand.class));
    public static final OutputTag<ResourceHealth> HEALTH =
            new OutputTag<>("health", TypeInformation.of(ResourceHealth.class));

    static final int MAX_REASON_LENGTH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(ResourceIncidentFunction.class);

    private final IncidentSettings settings;
    private final PlaybookCatalog catalog;
    private final Diagnoser diagnoser;
    private final byte[] signingKey;
    /** True: per-resource signals for the correlator, no commands. */
    private final boolean signalsOnly;

    private transient ValueState<Incident> incidentState;
    private transient ValueState<IncidentTracking> trackingState;
    private transient Counter incidentsOpened;
    private transient Counter incidentsUpdated;
    private transient Counter incidentsResolved;
    private transient Counter commandsIssued;
    private transient Counter commandsWithheld;
    private transient Counter timerFailures;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient CommandSignature signer;

    public ResourceIncidentFunction(IncidentSettings settings, PlaybookCatalog catalog, Diagnoser diagnoser) {
        this(settings, catalog, diagnoser, null);
    }

    /**
     * @param signingKey HMAC key commands are signed with ({@link CommandSignature}); null issues them unsigned.
     *     Held as bytes because the function is serialized; the signer is built in {@link #open}.
     */
    public ResourceIncidentFunction(IncidentSettings settings, PlaybookCatalog catalog, Diagnoser diagnoser,
            byte[] signingKey) {
        this(settings, catalog, diagnoser, signingKey, false);
    }

    private ResourceIncidentFunction(IncidentSettings settings, PlaybookCatalog catalog, Diagnoser diagnoser,
            byte[] signingKey, boolean signalsOnly) {
        this.signalsOnly = signalsOnly;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.diagnoser = Objects.requireNonNull(diagnoser, "diagnoser");
        if (signingKey != null) {
            // a short key fails here, while the job is built, not later inside a task
            CommandSignature.withKey(signingKey);
        }
        this.signingKey = signingKey == null ? null : signingKey.clone();
    }

    /** With the configuration's settings and playbooks and the {@link RulesDiagnoser}. */
    public ResourceIncidentFunction(DetectConfig config) {
        this(config, null);
    }

    /** As {@link #ResourceIncidentFunction(DetectConfig)}, signing commands with the key (null: unsigned). */
    public ResourceIncidentFunction(DetectConfig config, byte[] signingKey) {
        this(config.incident(), new PlaybookCatalog(config.playbooks()), new RulesDiagnoser(), signingKey);
    }

    /**
     * Per-resource signals for the {@link IncidentCorrelator}: no commands, the OPEN signal at the first anomaly.
     * Diagnoses with the {@link RulesDiagnoser} (the signal's diagnosis only feeds the health reason).
     */
    public static ResourceIncidentFunction signalsForCorrelation(IncidentSettings settings) {
        return new ResourceIncidentFunction(settings, new PlaybookCatalog(List.of()), new RulesDiagnoser(), null,
                true);
    }

    @Override
    public void open(OpenContext openContext) {
        incidentState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("incident", TypeInformation.of(Incident.class)));
        trackingState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("incident-tracking", TypeInformation.of(IncidentTracking.class)));
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        incidentsOpened = metrics.counter("incidentsOpened");
        incidentsUpdated = metrics.counter("incidentsUpdated");
        incidentsResolved = metrics.counter("incidentsResolved");
        commandsIssued = metrics.counter("commandsIssued");
        commandsWithheld = metrics.counter("commandsWithheld");
        timerFailures = metrics.counter("timerFailures");
        deadLetterCounters = new DeadLetters.Counters(metrics);
        signer = signingKey == null ? null : CommandSignature.withKey(signingKey);
    }

    @Override
    public void processElement(ScoredPoint scored, Context ctx, Collector<Incident> out) throws Exception {
        IncidentTracking tracking = trackingState.value();
        if (tracking == null && !scored.anomalous()) {
            return;
        }
        try {
            Incident incident = incidentState.value();
            long ts = scored.timestampMillis();
            if (tracking == null) {
                tracking = new IncidentTracking();
                incident = open(scored, tracking, ctx);
                if (signalsOnly) {
                    // the correlator waits for related resources; the emit timer still sends UPDATED one window on
                    publish(incident, tracking, ts, ctx, out, false);
                }
            } else if (scored.anomalous()) {
                for (Anomaly anomaly : scored.anomalies) {
                    addEvidence(incident.getEvidence(), anomaly);
                }
                if (tracking.emitted) {
                    tracking.dirty = true;
                    if (tracking.emitTimerMillis == IncidentTracking.NONE) {
                        tracking.emitTimerMillis = tracking.lastEmittedMillis + settings.groupWindow().toMillis();
                        ctx.timerService().registerEventTimeTimer(tracking.emitTimerMillis);
                    }
                }
            }
            for (Anomaly anomaly : scored.anomalies) {
                tracking.lastAnomalyMillis = Math.max(tracking.lastAnomalyMillis, anomaly.getTimestampMillis());
                if (Anomalies.isRule(anomaly)) {
                    tracking.lastRuleAnomalyMillis =
                            Math.max(tracking.lastRuleAnomalyMillis, anomaly.getTimestampMillis());
                }
            }
            tracking.maxPointMillis = Math.max(tracking.maxPointMillis, ts);
            // Not only once published: when catching up on a backlog, all points arrive before any timer fires.
            if (tracking.livenessTimerMillis == IncidentTracking.NONE && ts >= recoveryDue(tracking)) {
                tracking.livenessTimerMillis = ts;
                ctx.timerService().registerEventTimeTimer(ts);
            }
            incidentState.update(incident);
            trackingState.update(tracking);
        } catch (RuntimeException e) {
            LOG.warn("cannot track incident of resource {}: {}", ctx.getCurrentKey(), e.toString());
            deadLetterCounters.inc("incident-tracking-failed");
            EnrichedPoint point = scored.point;
            ctx.output(DeadLetters.TAG, PointDeadLetters.of("incident-tracking-failed", e, point,
                    ctx.timerService().currentProcessingTime()));
        }
    }

    private Incident open(ScoredPoint scored, IncidentTracking tracking, Context ctx) {
        long ts = scored.timestampMillis();
        EnrichedPoint point = scored.point;
        String resourceId = scored.resourceId();
        List<Anomaly> evidence = new ArrayList<>();
        for (Anomaly anomaly : scored.anomalies) {
            addEvidence(evidence, anomaly);
        }
        tracking.firstAnomalyMillis = ts;
        tracking.emitTimerMillis = ts + settings.groupWindow().toMillis();
        ctx.timerService().registerEventTimeTimer(tracking.emitTimerMillis);
        return Incident.newBuilder()
                .setIncidentId(IncidentIds.incidentId(resourceId, ts))
                .setStatus(IncidentStatus.OPEN)
                .setResource(point.getPoint().getResource())
                .setContext(point.getContext())
                .setOpenedAtMillis(ts)
                .setUpdatedAtMillis(ts)
                .setDiagnosis(Diagnosis.newBuilder()
                        .setIncidentType(Diagnoser.UNKNOWN)
                        .setSummary("collecting evidence")
                        .setConfidence(0)
                        .setRootCause(resourceId)
                        .build())
                .setEvidence(evidence)
                .build();
    }

    /** Adds unless already there (a replayed anomaly); when full, a stronger anomaly replaces the weakest. */
    private void addEvidence(List<Anomaly> evidence, Anomaly anomaly) {
        for (Anomaly existing : evidence) {
            if (existing.getAnomalyId().equals(anomaly.getAnomalyId())) {
                return;
            }
        }
        if (evidence.size() < settings.maxEvidence()) {
            evidence.add(anomaly);
            return;
        }
        int weakest = 0;
        for (int i = 1; i < evidence.size(); i++) {
            if (stronger(evidence.get(weakest), evidence.get(i))) {
                weakest = i;
            }
        }
        if (stronger(anomaly, evidence.get(weakest))) {
            evidence.remove(weakest);
            evidence.add(anomaly);
        }
    }

    /** Rule anomalies outrank learned ones (they carry the incident type); then the higher score wins. */
    private static boolean stronger(Anomaly a, Anomaly b) {
        boolean aRule = Anomalies.isRule(a);
        boolean bRule = Anomalies.isRule(b);
        if (aRule != bRule) {
            return aRule;
        }
        return a.getScore() > b.getScore();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        IncidentTracking tracking = trackingState.value();
        if (tracking == null) {
            return;
        }
        Incident incident = incidentState.value();
        try {
            if (tracking.emitTimerMillis != IncidentTracking.NONE && timestamp >= tracking.emitTimerMillis) {
                tracking.emitTimerMillis = IncidentTracking.NONE;
                if (!tracking.emitted || tracking.dirty) {
                    publish(incident, tracking, timestamp, ctx, out, true);
                } else if (tracking.publishedIncidentType == null) {
                    reportUnhealthy(incident, tracking, timestamp, ctx);
                }
            }
            if (tracking.livenessTimerMillis != IncidentTracking.NONE && timestamp >= tracking.livenessTimerMillis) {
                tracking.livenessTimerMillis = IncidentTracking.NONE;
                if (!tracking.emitted) {
                    // recovered within the group window: resolve right after the incident is published
                    tracking.livenessTimerMillis = tracking.emitTimerMillis;
                } else if (timestamp >= recoveryDue(tracking)) {
                    resolve(incident, tracking, timestamp, ctx, out);
                    return;
                } else if (tracking.maxPointMillis >= recoveryDue(tracking)) {
                    // a late anomaly moved the due time, and points past it have already been seen
                    tracking.livenessTimerMillis = tracking.maxPointMillis;
                    ctx.timerService().registerEventTimeTimer(tracking.maxPointMillis);
                }
            }
        } catch (RuntimeException e) {
            // No record to dead-letter here; the incident stays as it was and the next anomaly or point retries.
            LOG.error("incident timer at {} failed for resource {}", timestamp, ctx.getCurrentKey(), e);
            timerFailures.inc();
        }
        incidentState.update(incident);
        trackingState.update(tracking);
    }

    private long recoveryDue(IncidentTracking tracking) {
        return tracking.blockingAnomalyMillis() + settings.recoveryPeriod().toMillis();
    }

    /**
     * @param reportHealth false for the immediate OPEN signal: health is reported once the group window has
     *     collected the evidence, as without correlation, so the health topic does not flap between types
     */
    private void publish(Incident incident, IncidentTracking tracking, long timestamp, Context ctx,
            Collector<Incident> out, boolean reportHealth) {
        Diagnosis diagnosis = diagnoser.diagnose(incident.getResource(), incident.getEvidence());
        PlaybookCatalog.Decision decision = null;
        if (tracking.issuedPlaybook == null && !signalsOnly) {
            decision = catalog.decide(diagnosis, incident.getResource(), incident.getEvidence(),
                    settings.minConfidence());
            if (!decision.issuesCommand()) {
                diagnosis.setSummary(diagnosis.getSummary() + "; no automatic action: " + decision.withheldReason());
            }
        }
        incident.setDiagnosis(diagnosis);
        incident.setStatus(tracking.emitted ? IncidentStatus.UPDATED : IncidentStatus.OPEN);
        incident.setUpdatedAtMillis(timestamp);
        if (decision != null && decision.issuesCommand()) {
            incident.setPlaybook(decision.playbook().name());
        }
        Incident published = Incident.newBuilder(incident).build();
        out.collect(published);
        if (tracking.emitted) {
            incidentsUpdated.inc();
        } else {
            incidentsOpened.inc();
        }
        if (decision != null) {
            if (decision.issuesCommand()) {
                ctx.output(COMMANDS, IncidentCommands.command(published, decision, timestamp, signer));
                tracking.issuedPlaybook = decision.playbook().name();
                commandsIssued.inc();
            } else if (!tracking.emitted) {
                commandsWithheld.inc();
            }
        }
        if (reportHealth && !diagnosis.getIncidentType().equals(tracking.publishedIncidentType)) {
            reportUnhealthy(incident, tracking, timestamp, ctx);
        }
        tracking.emitted = true;
        tracking.dirty = false;
        tracking.lastEmittedMillis = timestamp;
    }

    private void reportUnhealthy(Incident incident, IncidentTracking tracking, long timestamp, Context ctx) {
        ctx.output(HEALTH, health(incident, HealthStatus.UNHEALTHY, tracking.firstAnomalyMillis, timestamp,
                incident.getDiagnosis().getSummary()));
        tracking.publishedIncidentType = incident.getDiagnosis().getIncidentType();
    }

    private void resolve(Incident incident, IncidentTracking tracking, long timestamp, OnTimerContext ctx,
            Collector<Incident> out) throws Exception {
        if (tracking.dirty) {
            Diagnosis diagnosis = diagnoser.diagnose(incident.getResource(), incident.getEvidence());
            incident.setDiagnosis(diagnosis);
        }
        if (tracking.publishedIncidentType == null) {
            // a signal recovered within its group window: report the episode before its end
            reportUnhealthy(incident, tracking, timestamp, ctx);
        }
        incident.setStatus(IncidentStatus.RESOLVED);
        incident.setUpdatedAtMillis(timestamp);
        incident.setResolvedAtMillis(timestamp);
        out.collect(Incident.newBuilder(incident).build());
        String reason = "no " + (tracking.lastRuleAnomalyMillis != IncidentTracking.NONE ? "rule " : "")
                + "anomaly for " + formatDuration(settings.recoveryPeriod()) + " while reporting; incident "
                + incident.getIncidentId() + " (" + incident.getDiagnosis().getIncidentType() + ") resolved";
        ctx.output(HEALTH, health(incident, HealthStatus.HEALTHY, timestamp, timestamp, reason));
        incidentsResolved.inc();
        if (tracking.emitTimerMillis != IncidentTracking.NONE && tracking.emitTimerMillis != timestamp) {
            ctx.timerService().deleteEventTimeTimer(tracking.emitTimerMillis);
        }
        incidentState.clear();
        trackingState.clear();
    }

    private static ResourceHealth health(Incident incident, HealthStatus status, long since, long now, String reason) {
        return ResourceHealth.newBuilder()
                .setResource(incident.getResource())
                .setStatus(status)
                .setSinceMillis(since)
                .setUpdatedAtMillis(now)
                .setReason(reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "…")
                .setIncidentId(incident.getIncidentId())
                .build();
    }

    private static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
