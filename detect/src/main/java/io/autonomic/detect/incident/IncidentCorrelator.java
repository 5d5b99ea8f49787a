package io.autonomic.detect.incident;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.IncidentSettings;
import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.detect.scoring.PointDeadLetters;
import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.RootCause;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import io.autonomic.schemas.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups the per-resource incident signals of {@link ResourceIncidentFunction#signalsForCorrelation} into
 * correlated incidents, keyed by correlation scope ({@link #scope}: the environment), in event time.
 *
 * <ul>
 *   <li>Signals are buffered and applied when the watermark passes them, in event-time order (ties by resource id),
 *       so the grouping does not depend on which upstream subtask was faster.
 *   <li>A resource's OPEN signal joins an open incident when the resource is related to one of its members through
 *       the topology (declared or observed dependency, either direction, within {@code maxHops}; see
 *       {@link DependencyGraph}) and its onset is no later than {@code correlationWindow} after the incident's latest
 *       evidence; otherwise it opens a new incident, published OPEN one group window after its onset. Unpublished
 *       incidents that the resource relates to are merged into the one it joins (a database failing just after its
 *       callers pulls their incidents into one); published ones stay separate.
 *   <li>Evidence: an anomaly of a resource, metric and detector already in the evidence is counted in
 *       {@code suppressedDuplicates}, not appended; beyond {@code maxEvidence} weaker anomalies give way.
 *   <li>On each publication (OPEN, then UPDATED at most once per group window) the members are ranked by the
 *       {@link RootCauseRanker}; the incident's resource is the top root cause; members depending on it (directly
 *       or through other members) are listed as {@code inhibited}. The {@link Diagnoser} sees the top root cause and
 *       the whole evidence, the root cause's own anomalies first; the {@link PlaybookCatalog} decides the one
 *       command of the incident, for the top root cause.
 *   <li>RESOLVED once every member's own incident resolved; then all state of the incident is removed.
 * </ul>
 * Health stays with the per-resource stage: it is about a resource, and an inhibited dependent is still reported
 * unhealthy there.
 */
public final class IncidentCorrelator extends KeyedProcessFunction<String, Incident, Incident> {

    public static final OutputTag<RemediationCommand> COMMANDS =
            new OutputTag<>("correlated-commands", TypeInformation.of(RemediationCommand.class));
    /** Scope of resources without an environment in their topology context. */
    public static final String DEFAULT_SCOPE = "default";

    private static final Logger LOG = LoggerFactory.getLogger(IncidentCorrelator.class);
    private static final AvroSerde<Incident> SIGNAL_SERDE = AvroSerde.of(Incident.class);

    private final IncidentSettings settings;
    private final PlaybookCatalog catalog;
    private final Diagnoser diagnoser;
    private final byte[] signingKey;

    private transient MapState<Long, List<Incident>> pendingSignals;
    private transient MapState<String, Incident> incidents;
    private transient MapState<String, CorrelationTracking> trackings;
    private transient MapState<String, CorrelationMember> members;
    private transient MapState<String, Incident> memberSignals;
    private transient Counter incidentsOpened;
    private transient Counter incidentsUpdated;
    private transient Counter incidentsResolved;
    private transient Counter incidentsMerged;
    private transient Counter membersCorrelated;
    private transient Counter duplicatesSuppressed;
    private transient Counter commandsIssued;
    private transient Counter commandsWithheld;
    private transient Counter signalsIgnored;
    private transient Counter timerFailures;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient CommandSignature signer;

    /**
     * @param signingKey HMAC key commands are signed with ({@link CommandSignature}); null issues them unsigned
     */
    public IncidentCorrelator(IncidentSettings settings, PlaybookCatalog catalog, Diagnoser diagnoser,
            byte[] signingKey) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.diagnoser = Objects.requireNonNull(diagnoser, "diagnoser");
        if (signingKey != null) {
            CommandSignature.withKey(signingKey);
        }
        this.signingKey = signingKey == null ? null : signingKey.clone();
    }

    /** With the configuration's settings and playbooks and the {@link RulesDiagnoser}. */
    public IncidentCorrelator(DetectConfig config, byte[] signingKey) {
        this(config.incident(), new PlaybookCatalog(config.playbooks()), new RulesDiagnoser(), signingKey);
    }

    /**
     * The correlation scope of a signal: its environment, else {@value #DEFAULT_SCOPE}. One scope is one key, so all
     * incidents of an environment are decided on one subtask; that is what lets them see each other, and it is
     * cheap because only anomalous resources send signals (see docs/correlation.md for the trade-off).
     */
    public static String scope(Incident signal) {
        TopologyContext context = signal.getContext();
        String environment = context == null ? null : context.getEnvironment();
        return environment == null || environment.isBlank() ? DEFAULT_SCOPE : environment;
    }

    @Override
    public void open(OpenContext openContext) {
        TypeInformation<Incident> incidentType = TypeInformation.of(Incident.class);
        pendingSignals = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending-signals", Types.LONG, Types.LIST(incidentType)));
        incidents = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("correlated-incidents", Types.STRING, incidentType));
        trackings = getRuntimeContext().getMapState(new MapStateDescriptor<>("correlation-tracking", Types.STRING,
                TypeInformation.of(CorrelationTracking.class)));
        members = getRuntimeContext().getMapState(new MapStateDescriptor<>("correlation-members", Types.STRING,
                TypeInformation.of(CorrelationMember.class)));
        memberSignals = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("member-signals", Types.STRING, incidentType));
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        incidentsOpened = metrics.counter("correlatedIncidentsOpened");
        incidentsUpdated = metrics.counter("correlatedIncidentsUpdated");
        incidentsResolved = metrics.counter("correlatedIncidentsResolved");
        incidentsMerged = metrics.counter("correlatedIncidentsMerged");
        membersCorrelated = metrics.counter("resourcesCorrelated");
        duplicatesSuppressed = metrics.counter("duplicatesSuppressed");
        commandsIssued = metrics.counter("commandsIssued");
        commandsWithheld = metrics.counter("commandsWithheld");
        signalsIgnored = metrics.counter("signalsIgnored");
        timerFailures = metrics.counter("timerFailures");
        deadLetterCounters = new DeadLetters.Counters(metrics);
        signer = signingKey == null ? null : CommandSignature.withKey(signingKey);
    }

    @Override
    public void processElement(Incident signal, Context ctx, Collector<Incident> out) throws Exception {
        long ts = ctx.timestamp() != null ? ctx.timestamp() : signal.getUpdatedAtMillis();
        List<Incident> atTime = pendingSignals.get(ts);
        List<Incident> updated = atTime == null ? new ArrayList<>() : new ArrayList<>(atTime);
        updated.add(signal);
        pendingSignals.put(ts, updated);
        ctx.timerService().registerEventTimeTimer(ts);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        try {
            List<Long> due = new ArrayList<>();
            for (Long time : pendingSignals.keys()) {
                if (time <= timestamp) {
                    due.add(time);
                }
            }
            due.sort(null);
            for (Long time : due) {
                List<Incident> signals = new ArrayList<>(pendingSignals.get(time));
                pendingSignals.remove(time);
                signals.sort(Comparator.comparing(s -> s.getResource().getId()));
                for (Incident signal : signals) {
                    applySafely(signal, time, ctx, out);
                }
            }
            List<String> dueIncidents = new ArrayList<>();
            for (Map.Entry<String, CorrelationTracking> entry : trackings.entries()) {
                long emitAt = entry.getValue().emitTimerMillis;
                if (emitAt != CorrelationTracking.NONE && emitAt <= timestamp) {
                    dueIncidents.add(entry.getKey());
                }
            }
            dueIncidents.sort(null);
            for (String incidentId : dueIncidents) {
                CorrelationTracking tracking = trackings.get(incidentId);
                tracking.emitTimerMillis = CorrelationTracking.NONE;
                if (!tracking.emitted || tracking.dirty) {
                    publish(incidentId, incidents.get(incidentId), tracking, timestamp, ctx, out);
                }
                trackings.put(incidentId, tracking);
            }
        } catch (RuntimeException e) {
            // No record to dead-letter here; the state stays as it was and the next signal or timer retries.
            LOG.error("correlation timer at {} failed for scope {}", timestamp, ctx.getCurrentKey(), e);
            timerFailures.inc();
        }
    }

    private void applySafely(Incident signal, long time, OnTimerContext ctx, Collector<Incident> out)
            throws Exception {
        try {
            apply(signal, time, ctx, out);
        } catch (RuntimeException e) {
            LOG.warn("cannot correlate signal {} of resource {}: {}", signal.getIncidentId(),
                    signal.getResource().getId(), e.toString());
            deadLetterCounters.inc("correlation-failed");
            ctx.output(DeadLetters.TAG, deadLetter(signal, e, ctx.timerService().currentProcessingTime()));
        }
    }

    private void apply(Incident signal, long time, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        String resourceId = signal.getResource().getId();
        CorrelationMember member = members.get(resourceId);
        Incident previous = memberSignals.get(resourceId);
        if (member == null) {
            if (signal.getStatus() == IncidentStatus.RESOLVED) {
                // the resource's incident ended before it joined one here (e.g. state restored from before it)
                signalsIgnored.inc();
                return;
            }
            CorrelationCandidate candidate = candidate(signal, signal.getOpenedAtMillis());
            String incidentId = joinOrMerge(candidate, ctx);
            if (incidentId == null) {
                incidentId = signal.getIncidentId();
                createIncident(incidentId, signal, time, ctx);
            } else {
                membersCorrelated.inc();
            }
            member = new CorrelationMember(incidentId, signal.getOpenedAtMillis());
            members.put(resourceId, member);
            previous = null;
        }
        String incidentId = member.incidentId;
        Incident incident = incidents.get(incidentId);
        CorrelationTracking tracking = trackings.get(incidentId);
        Set<String> seen = new HashSet<>();
        if (previous != null) {
            previous.getEvidence().forEach(a -> seen.add(a.getAnomalyId()));
        }
        boolean changed = previous == null;
        for (Anomaly anomaly : signal.getEvidence()) {
            if (seen.add(anomaly.getAnomalyId())) {
                changed |= addEvidence(incident.getEvidence(), tracking, anomaly);
                tracking.lastEvidenceMillis = Math.max(tracking.lastEvidenceMillis, anomaly.getTimestampMillis());
            }
        }
        memberSignals.put(resourceId, signal);
        if (signal.getStatus() == IncidentStatus.RESOLVED && allMembersResolved(incidentId)) {
            resolve(incidentId, incident, tracking, time, ctx, out);
            return;
        }
        if (changed) {
            tracking.dirty = true;
            if (tracking.emitted && tracking.emitTimerMillis == CorrelationTracking.NONE) {
                tracking.emitTimerMillis = Math.max(time, tracking.lastEmittedMillis + settings.groupWindow().toMillis());
                ctx.timerService().registerEventTimeTimer(tracking.emitTimerMillis);
            }
        }
        incidents.put(incidentId, incident);
        trackings.put(incidentId, tracking);
    }

    private void createIncident(String incidentId, Incident signal, long time, OnTimerContext ctx) throws Exception {
        CorrelationTracking tracking = new CorrelationTracking();
        tracking.openedMillis = signal.getOpenedAtMillis();
        // the group window runs from the onset, like a single resource's, so related resources can still join
        tracking.emitTimerMillis = Math.max(time, signal.getOpenedAtMillis() + settings.groupWindow().toMillis());
        ctx.timerService().registerEventTimeTimer(tracking.emitTimerMillis);
        Incident incident = Incident.newBuilder()
                .setIncidentId(incidentId)
                .setStatus(IncidentStatus.OPEN)
                .setResource(signal.getResource())
                .setContext(latestContext(signal))
                .setOpenedAtMillis(signal.getOpenedAtMillis())
                .setUpdatedAtMillis(time)
                .setDiagnosis(Diagnosis.newBuilder()
                        .setIncidentType(Diagnoser.UNKNOWN)
                        .setSummary("collecting evidence")
                        .setConfidence(0)
                        .setRootCause(signal.getResource().getId())
                        .build())
                .setEvidence(new ArrayList<>())
                .build();
        incidents.put(incidentId, incident);
        trackings.put(incidentId, tracking);
    }

    /**
     * The open incident the candidate joins, or null for a new one. Of several related incidents it joins a
     * published one (the oldest) if any, and the unpublished ones are merged into it.
     */
    private String joinOrMerge(CorrelationCandidate candidate, OnTimerContext ctx) throws Exception {
        Map<String, List<CorrelationCandidate>> byIncident = new TreeMap<>();
        for (Map.Entry<String, CorrelationMember> entry : members.entries()) {
            Incident signal = memberSignals.get(entry.getKey());
            byIncident.computeIfAbsent(entry.getValue().incidentId, id -> new ArrayList<>())
                    .add(candidate(signal, entry.getValue().onsetMillis));
        }
        List<String> related = new ArrayList<>();
        for (Map.Entry<String, List<CorrelationCandidate>> entry : byIncident.entrySet()) {
            CorrelationTracking tracking = trackings.get(entry.getKey());
            if (tracking == null || entry.getValue().size() >= settings.maxMembers()) {
                continue;
            }
            if (candidate.onsetMillis() > tracking.lastEvidenceMillis + settings.correlationWindow().toMillis()) {
                continue;
            }
            DependencyGraph graph = new DependencyGraph();
            graph.add(candidate);
            Set<String> services = new HashSet<>();
            for (CorrelationCandidate existing : entry.getValue()) {
                graph.add(existing);
                if (existing.service() != null) {
                    services.add(existing.service());
                }
            }
            if (graph.withinHops(candidate.service(), services, settings.maxHops())) {
                related.add(entry.getKey());
            }
        }
        if (related.isEmpty()) {
            return null;
        }
        related.sort(Comparator.comparing((String id) -> !trackingOf(id).emitted)
                .thenComparingLong(id -> trackingOf(id).openedMillis)
                .thenComparing(Comparator.naturalOrder()));
        String target = related.get(0);
        int memberCount = byIncident.get(target).size();
        for (String other : related.subList(1, related.size())) {
            int otherCount = byIncident.get(other).size();
            if (!trackingOf(other).emitted && memberCount + otherCount < settings.maxMembers()) {
                merge(other, target);
                memberCount += otherCount;
            }
        }
        return target;
    }

    private CorrelationTracking trackingOf(String incidentId) {
        try {
            return trackings.get(incidentId);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read correlation state of " + incidentId, e);
        }
    }

    /** Moves an unpublished incident's members and evidence into another; the source leaves no state behind. */
    private void merge(String fromId, String intoId) throws Exception {
        Incident from = incidents.get(fromId);
        CorrelationTracking fromTracking = trackings.get(fromId);
        Incident into = incidents.get(intoId);
        CorrelationTracking intoTracking = trackings.get(intoId);
        List<String> moved = new ArrayList<>();
        for (Map.Entry<String, CorrelationMember> entry : members.entries()) {
            if (entry.getValue().incidentId.equals(fromId)) {
                moved.add(entry.getKey());
            }
        }
        for (String resourceId : moved) {
            CorrelationMember member = members.get(resourceId);
            member.incidentId = intoId;
            members.put(resourceId, member);
        }
        for (Anomaly anomaly : from.getEvidence()) {
            addEvidence(into.getEvidence(), intoTracking, anomaly);
        }
        intoTracking.suppressedDuplicates += fromTracking.suppressedDuplicates;
        intoTracking.lastEvidenceMillis = Math.max(intoTracking.lastEvidenceMillis, fromTracking.lastEvidenceMillis);
        intoTracking.openedMillis = Math.min(intoTracking.openedMillis, fromTracking.openedMillis);
        into.setOpenedAtMillis(Math.min(into.getOpenedAtMillis(), from.getOpenedAtMillis()));
        intoTracking.dirty = true;
        // the source's emit timer stays registered (timers are per scope, shared); without tracking it does nothing
        incidents.remove(fromId);
        trackings.remove(fromId);
        incidents.put(intoId, into);
        trackings.put(intoId, intoTracking);
        incidentsMerged.inc();
    }

    /** Adds unless a replay or a duplicate; when full, a stronger anomaly replaces the weakest. True if added. */
    private boolean addEvidence(List<Anomaly> evidence, CorrelationTracking tracking, Anomaly anomaly) {
        for (Anomaly existing : evidence) {
            if (existing.getAnomalyId().equals(anomaly.getAnomalyId())) {
                return false;
            }
        }
        for (Anomaly existing : evidence) {
            if (existing.getResource().getId().equals(anomaly.getResource().getId())
                    && existing.getMetric().equals(anomaly.getMetric())
                    && existing.getDetector().equals(anomaly.getDetector())) {
                tracking.suppressedDuplicates++;
                duplicatesSuppressed.inc();
                return false;
            }
        }
        if (evidence.size() < settings.maxEvidence()) {
            evidence.add(anomaly);
            return true;
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
            return true;
        }
        return false;
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

    private boolean allMembersResolved(String incidentId) throws Exception {
        for (Map.Entry<String, CorrelationMember> entry : members.entries()) {
            if (entry.getValue().incidentId.equals(incidentId)
                    && memberSignals.get(entry.getKey()).getStatus() != IncidentStatus.RESOLVED) {
                return false;
            }
        }
        return true;
    }

    /** Members of the incident as ranking candidates, in resource id order. */
    private Map<String, CorrelationCandidate> candidatesOf(String incidentId) throws Exception {
        Map<String, CorrelationCandidate> candidates = new TreeMap<>();
        for (Map.Entry<String, CorrelationMember> entry : members.entries()) {
            if (entry.getValue().incidentId.equals(incidentId)) {
                candidates.put(entry.getKey(),
                        candidate(memberSignals.get(entry.getKey()), entry.getValue().onsetMillis));
            }
        }
        return candidates;
    }

    /**
     * Ranks the members and fills in resource, root causes, resources, inhibited, diagnosis and (when
     * {@code decide}) the command decision. Returns the decision, null when not decided.
     */
    private PlaybookCatalog.Decision refresh(String incidentId, Incident incident, CorrelationTracking tracking,
            boolean decide) throws Exception {
        Map<String, CorrelationCandidate> candidates = candidatesOf(incidentId);
        List<CorrelationCandidate> candidateList = List.copyOf(candidates.values());
        List<RootCause> ranked = RootCauseRanker.rank(candidateList);
        RootCause top = ranked.get(0);
        Incident topSignal = memberSignals.get(top.getResourceId());
        List<String> inhibited = RootCauseRanker.dependentsOf(top.getResourceId(), candidateList);

        List<Anomaly> ordered = new ArrayList<>(incident.getEvidence().size());
        for (Anomaly anomaly : incident.getEvidence()) {
            if (anomaly.getResource().getId().equals(top.getResourceId())) {
                ordered.add(anomaly);
            }
        }
        for (Anomaly anomaly : incident.getEvidence()) {
            if (!anomaly.getResource().getId().equals(top.getResourceId())) {
                ordered.add(anomaly);
            }
        }
        Diagnosis diagnosis = diagnoser.diagnose(topSignal.getResource(), ordered);
        diagnosis.setRootCause(top.getResourceId());
        PlaybookCatalog.Decision decision = null;
        if (decide && tracking.issuedPlaybook == null) {
            decision = catalog.decide(diagnosis, topSignal.getResource(), ordered, settings.minConfidence());
            if (!decision.issuesCommand()) {
                diagnosis.setSummary(diagnosis.getSummary() + "; no automatic action: " + decision.withheldReason());
            }
        }
        if (candidates.size() > 1) {
            StringBuilder summary = new StringBuilder(diagnosis.getSummary())
                    .append(String.format(Locale.ROOT, "; correlated %d resources, root cause %s (score %.2f)",
                            candidates.size(), top.getResourceId(), top.getScore()));
            if (!inhibited.isEmpty()) {
                summary.append("; inhibited: ").append(String.join(", ", inhibited));
            }
            diagnosis.setSummary(summary.toString());
        }
        incident.setResource(topSignal.getResource());
        incident.setContext(latestContext(topSignal));
        incident.setDiagnosis(diagnosis);
        incident.setRootCauses(ranked);
        incident.setResources(new ArrayList<>(candidates.keySet()));
        incident.setInhibited(inhibited);
        incident.setSuppressedDuplicates(tracking.suppressedDuplicates);
        return decision;
    }

    private void publish(String incidentId, Incident incident, CorrelationTracking tracking, long timestamp,
            OnTimerContext ctx, Collector<Incident> out) throws Exception {
        PlaybookCatalog.Decision decision = refresh(incidentId, incident, tracking, true);
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
        if (tracking.issuedPlaybook != null) {
            commandPeers(incidentId, published, tracking, timestamp, ctx);
        }
        tracking.emitted = true;
        tracking.dirty = false;
        tracking.lastEmittedMillis = timestamp;
        incidents.put(incidentId, incident);
    }

    /**
     * Peers of the root cause: the other members of its own service that are not its dependents (a fleet whose
     * instances fail together while their dependencies are healthy). Each suffers the same fault, and restarting one
     * does not mend the others, so each gets the playbook the root cause got, once, when the playbook decides it
     * for that resource too; the worker's blast-radius caps bound how many run at once.
     */
    private void commandPeers(String incidentId, Incident published, CorrelationTracking tracking, long timestamp,
            OnTimerContext ctx) throws Exception {
        String service = published.getResource().getService();
        if (service == null) {
            return;
        }
        Set<String> commanded = new HashSet<>(Arrays.asList(tracking.commandedPeers));
        List<String> added = new ArrayList<>();
        for (CorrelationCandidate peer : new TreeMap<>(candidatesOf(incidentId)).values()) {
            if (peer.resourceId().equals(published.getResource().getId()) || !service.equals(peer.service())
                    || published.getInhibited().contains(peer.resourceId()) || commanded.contains(peer.resourceId())) {
                continue;
            }
            Incident signal = memberSignals.get(peer.resourceId());
            List<Anomaly> evidence = new ArrayList<>();
            for (Anomaly anomaly : published.getEvidence()) {
                if (anomaly.getResource().getId().equals(peer.resourceId())) {
                    evidence.add(anomaly);
                }
            }
            PlaybookCatalog.Decision decision = catalog.decide(published.getDiagnosis(), signal.getResource(),
                    evidence, settings.minConfidence());
            if (decision.issuesCommand() && decision.playbook().name().equals(tracking.issuedPlaybook)) {
                ctx.output(COMMANDS, IncidentCommands.peerCommand(published, signal.getResource(),
                        latestContext(signal), decision, timestamp, signer));
                commandsIssued.inc();
                added.add(peer.resourceId());
            }
        }
        if (!added.isEmpty()) {
            List<String> all = new ArrayList<>(Arrays.asList(tracking.commandedPeers));
            all.addAll(added);
            tracking.commandedPeers = all.toArray(String[]::new);
        }
    }

    private void resolve(String incidentId, Incident incident, CorrelationTracking tracking, long timestamp,
            OnTimerContext ctx, Collector<Incident> out) throws Exception {
        if (!tracking.emitted) {
            // every member recovered within the group window: publish, then resolve right after
            publish(incidentId, incident, tracking, timestamp, ctx, out);
        } else if (tracking.dirty) {
            refresh(incidentId, incident, tracking, false);
        }
        incident.setStatus(IncidentStatus.RESOLVED);
        incident.setUpdatedAtMillis(timestamp);
        incident.setResolvedAtMillis(timestamp);
        out.collect(Incident.newBuilder(incident).build());
        incidentsResolved.inc();
        List<String> memberIds = new ArrayList<>();
        for (Map.Entry<String, CorrelationMember> entry : members.entries()) {
            if (entry.getValue().incidentId.equals(incidentId)) {
                memberIds.add(entry.getKey());
            }
        }
        for (String resourceId : memberIds) {
            members.remove(resourceId);
            memberSignals.remove(resourceId);
        }
        incidents.remove(incidentId);
        trackings.remove(incidentId);
        // a pending emit timer is left: timers are per scope and another incident may share the instant
    }

    /** The resource's most recent topology context: a live topology update reaches here inside the records. */
    static TopologyContext latestContext(Incident signal) {
        Anomaly latest = null;
        for (Anomaly anomaly : signal.getEvidence()) {
            if (anomaly.getContext() != null
                    && (latest == null || anomaly.getTimestampMillis() >= latest.getTimestampMillis())) {
                latest = anomaly;
            }
        }
        return latest != null ? latest.getContext() : signal.getContext();
    }

    static CorrelationCandidate candidate(Incident signal, long onsetMillis) {
        TopologyContext context = latestContext(signal);
        String service = context != null && context.getService() != null ? context.getService()
                : signal.getResource().getService();
        Set<String> dependencies = new TreeSet<>();
        if (context != null) {
            dependencies.addAll(context.getDependencies());
            dependencies.addAll(context.getObservedDependencies());
        }
        double maxScore = 0;
        for (Anomaly anomaly : signal.getEvidence()) {
            maxScore = Math.max(maxScore, anomaly.getScore());
        }
        return new CorrelationCandidate(signal.getResource().getId(), service,
                context == null ? null : context.getLayer(), onsetMillis, maxScore, dependencies);
    }

    private static DeadLetter deadLetter(Incident signal, Throwable error, long nowMillis) {
        byte[] value;
        try {
            value = SIGNAL_SERDE.encode(signal);
        } catch (RuntimeException e) {
            value = null;
        }
        byte[] key = signal.getResource() == null ? null
                : signal.getResource().getId().getBytes(StandardCharsets.UTF_8);
        KafkaRecord source = new KafkaRecord("", -1, -1, nowMillis, key, value);
        return DeadLetters.of(PointDeadLetters.STAGE, "correlation-failed",
                error.getClass().getSimpleName() + ": " + error.getMessage(), source, nowMillis);
    }
}
