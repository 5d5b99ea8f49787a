package io.autonomic.enrich;

import io.autonomic.enrich.threat.ThreatIndicators;
import io.autonomic.enrich.threat.ThreatIntel;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ServiceEdge;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.ThreatContext;
import io.autonomic.schemas.avro.ThreatIndicator;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the declared topology and the threat intelligence to each point, keyed by resource id ({@link #KEY}).
 *
 * <p><b>Topology.</b> The broadcast side receives the topology topic's raw records, so a tombstone (null value)
 * removes its service and a value that does not decode becomes a dead letter instead of failing the job. Points are
 * matched on {@code resource.service}. The service-edges topic (told apart by the record's topic) carries the
 * dependency graph observed in traces: its callees of the point's service become {@code observedDependencies}.
 *
 * <p><b>Bounded wait.</b> A point whose service has no entry yet is held in keyed state for at most
 * {@code contextWait} of processing time: enrich may have started while the compacted topology topic is still being
 * read, or the entry may be published just after the service's first telemetry. When the entry arrives the held
 * points are released enriched, in order; when the wait runs out they are released with {@code found=false} and
 * {@code noContextReason=context-wait-expired}. Processing time, not event time, because what is awaited is the
 * progress of the topology consumer, and the points topic has no watermarks here (an idle partition would otherwise
 * hold points forever). Once a resource's points have waited in vain, its later points pass on at once as
 * {@code not-in-topology} for {@code undeclaredRecheck}, so an undeclared service costs one wait per period, not
 * one per point. While points wait, later points of the same resource queue behind them: per-series order is kept.
 * At most {@code maxWaitingPoints} wait per resource; one more releases them all as expired. A point without a
 * service passes on at once as {@code no-service-name}.
 *
 * <p><b>Threat.</b> The threat-intel topic (compacted; a tombstone removes its key) fills a third broadcast state.
 * Points naming a source ({@link #SOURCE_ADDRESS_ATTRIBUTES}, {@link #USER_AGENT_ATTRIBUTES} or the
 * {@value #USER_AGENT_CLASS_ATTRIBUTE} of per-source counts) get a {@link ThreatContext}; others get null. The
 * lookup structure ({@link ThreatIntel}) is rebuilt from the state at most once per {@link #THREAT_REBUILD_INTERVAL}
 * after a change, so a burst of updates (the topic read at start) costs a few rebuilds, not one per record.
 *
 * <p>Every parallel instance sees every broadcast record, so dead letters and log lines about them are emitted by
 * subtask 0 only; otherwise one bad record would be reported once per subtask.
 */
public final class EnrichFunction extends KeyedBroadcastProcessFunction<String, TelemetryPoint, KafkaRecord, EnrichedPoint> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrichFunction.class);

    /** Points are keyed by resource id: every series of a resource waits (and is released) together. */
    public static final KeySelector<TelemetryPoint, String> KEY = point -> point.getResource().getId();

    /** Declared services by name: the broadcast state every instance holds. */
    public static final MapStateDescriptor<String, TopologyEntry> TOPOLOGY_STATE = new MapStateDescriptor<>(
            "topology", Types.STRING, TypeInformation.of(TopologyEntry.class));
    /** Observed edges by {@code caller->callee}, so a tombstone (which has no value) can find its caller. */
    public static final MapStateDescriptor<String, ServiceEdge> OBSERVED_EDGES = new MapStateDescriptor<>(
            "observed-edges", Types.STRING, TypeInformation.of(ServiceEdge.class));
    /** Observed callees by caller: what a point's lookup reads. */
    public static final MapStateDescriptor<String, List<String>> OBSERVED_CALLEES = new MapStateDescriptor<>(
            "observed-callees", Types.STRING, Types.LIST(Types.STRING));
    /** Valid threat indicators by key. */
    public static final MapStateDescriptor<String, ThreatIndicator> THREAT_INDICATORS = new MapStateDescriptor<>(
            "threat-indicators", Types.STRING, TypeInformation.of(ThreatIndicator.class));
    /** Every broadcast state, for {@code broadcast(...)} and harnesses. */
    public static final List<MapStateDescriptor<?, ?>> BROADCAST_STATES = List.of(TOPOLOGY_STATE, OBSERVED_EDGES,
            OBSERVED_CALLEES, THREAT_INDICATORS);

    static final ListStateDescriptor<TelemetryPoint> WAITING_POINTS = new ListStateDescriptor<>("waiting-points",
            TypeInformation.of(TelemetryPoint.class));
    static final ValueStateDescriptor<Waiting> WAITING = new ValueStateDescriptor<>("waiting",
            TypeInformation.of(Waiting.class));
    static final ValueStateDescriptor<Long> UNDECLARED_UNTIL = new ValueStateDescriptor<>("undeclared-until",
            Types.LONG);

    public static final List<String> SOURCE_ADDRESS_ATTRIBUTES = List.of("client.address", "source.address",
            "net.sock.peer.addr", "net.peer.ip", "http.client_ip");
    public static final List<String> USER_AGENT_ATTRIBUTES = List.of("user_agent.original", "http.user_agent");
    /** Set by per-source request counts: {@code standard}, {@code bad-pattern} or {@code empty}. */
    public static final String USER_AGENT_CLASS_ATTRIBUTE = "user_agent.class";
    public static final String STANDARD_USER_AGENT = "standard";

    public static final Duration DEFAULT_CONTEXT_WAIT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_WAITING_POINTS = 1_000;
    public static final Duration DEFAULT_UNDECLARED_RECHECK = Duration.ofMinutes(10);
    public static final Duration THREAT_REBUILD_INTERVAL = Duration.ofSeconds(1);

    public static final String STAGE = "enrich";
    public static final String UNDECODABLE_SERVICE_EDGE = "undecodable-service-edge";
    public static final String MISSING_SERVICE_EDGE_KEY = "missing-service-edge-key";
    public static final String UNDECODABLE_TOPOLOGY = "undecodable-topology";
    public static final String MISSING_TOPOLOGY_KEY = "missing-topology-key";
    public static final String TOPOLOGY_KEY_MISMATCH = "topology-key-mismatch";
    public static final String UNDECODABLE_THREAT_INDICATOR = "undecodable-threat-indicator";
    public static final String INVALID_THREAT_INDICATOR = "invalid-threat-indicator";
    public static final String MISSING_THREAT_INDICATOR_KEY = "missing-threat-indicator-key";

    /** Points released with {@code found=false}, whatever the reason. */
    public static final String POINTS_WITHOUT_CONTEXT = "pointsWithoutContext";
    /** Points that waited and were released enriched because their entry arrived. */
    public static final String POINTS_CONTEXT_ARRIVED = "pointsContextArrivedWhileWaiting";
    /** Points that waited the bounded time (or overflowed the queue) and were released as context-wait-expired. */
    public static final String POINTS_CONTEXT_WAIT_EXPIRED = "pointsContextWaitExpired";
    /** Points released with a threat context. */
    public static final String POINTS_WITH_THREAT_CONTEXT = "pointsWithThreatContext";

    private final String serviceEdgesTopic;
    private final String threatIntelTopic;
    private final long contextWaitMillis;
    private final int maxWaitingPoints;
    private final long undeclaredRecheckMillis;

    private transient AvroSerde<TopologyEntry> topologySerde;
    private transient AvroSerde<ServiceEdge> edgeSerde;
    private transient AvroSerde<ThreatIndicator> indicatorSerde;
    private transient ListState<TelemetryPoint> waitingPoints;
    private transient ValueState<Waiting> waiting;
    private transient ValueState<Long> undeclaredUntil;
    private transient Counter pointsWithoutContext;
    private transient Counter pointsContextArrived;
    private transient Counter pointsContextWaitExpired;
    private transient Counter pointsWithThreatContext;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient boolean reportsBroadcastEvents;
    private transient ThreatIntel threatIntel;
    private transient boolean threatIntelStale;
    private transient long threatIntelBuiltAt;

    /** With the default topic names and waiting bounds. */
    public EnrichFunction() {
        this(Topics.defaults().serviceEdges().name(), Topics.defaults().threatIntel().name(), DEFAULT_CONTEXT_WAIT,
                DEFAULT_MAX_WAITING_POINTS, DEFAULT_UNDECLARED_RECHECK);
    }

    /**
     * @param serviceEdgesTopic tells service-edge records apart on the broadcast side
     * @param threatIntelTopic tells threat-intel records apart on the broadcast side
     * @param contextWait how long a point waits for its service's entry; zero passes it on at once
     * @param maxWaitingPoints how many points of one resource may wait
     * @param undeclaredRecheck after a wait in vain, how long the resource's points pass on without waiting
     */
    public EnrichFunction(String serviceEdgesTopic, String threatIntelTopic, Duration contextWait,
            int maxWaitingPoints, Duration undeclaredRecheck) {
        this.serviceEdgesTopic = Objects.requireNonNull(serviceEdgesTopic, "serviceEdgesTopic");
        this.threatIntelTopic = Objects.requireNonNull(threatIntelTopic, "threatIntelTopic");
        if (contextWait.isNegative()) {
            throw new IllegalArgumentException("contextWait must not be negative, was " + contextWait);
        }
        if (maxWaitingPoints < 1) {
            throw new IllegalArgumentException("maxWaitingPoints must be positive, was " + maxWaitingPoints);
        }
        if (undeclaredRecheck.isNegative()) {
            throw new IllegalArgumentException("undeclaredRecheck must not be negative, was " + undeclaredRecheck);
        }
        this.contextWaitMillis = contextWait.toMillis();
        this.maxWaitingPoints = maxWaitingPoints;
        this.undeclaredRecheckMillis = undeclaredRecheck.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        topologySerde = AvroSerde.of(TopologyEntry.class);
        edgeSerde = AvroSerde.of(ServiceEdge.class);
        indicatorSerde = AvroSerde.of(ThreatIndicator.class);
        waitingPoints = getRuntimeContext().getListState(WAITING_POINTS);
        waiting = getRuntimeContext().getState(WAITING);
        undeclaredUntil = getRuntimeContext().getState(UNDECLARED_UNTIL);
        pointsWithoutContext = getRuntimeContext().getMetricGroup().counter(POINTS_WITHOUT_CONTEXT);
        pointsContextArrived = getRuntimeContext().getMetricGroup().counter(POINTS_CONTEXT_ARRIVED);
        pointsContextWaitExpired = getRuntimeContext().getMetricGroup().counter(POINTS_CONTEXT_WAIT_EXPIRED);
        pointsWithThreatContext = getRuntimeContext().getMetricGroup().counter(POINTS_WITH_THREAT_CONTEXT);
        deadLetterCounters = new DeadLetters.Counters(getRuntimeContext().getMetricGroup());
        reportsBroadcastEvents = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        threatIntel = null;
    }

    /** What a resource's queue of waiting points is waiting for. */
    public static final class Waiting {
        public String service;
        public long deadline;
        public int count;

        public Waiting() {
        }

        Waiting(String service, long deadline, int count) {
            this.service = service;
            this.deadline = deadline;
            this.count = count;
        }
    }

    @Override
    public void processElement(TelemetryPoint point, ReadOnlyContext ctx, Collector<EnrichedPoint> out)
            throws Exception {
        long now = ctx.currentProcessingTime();
        String service = point.getResource().getService();
        if (service == null || service.isBlank()) {
            emit(point, TopologyContexts.withoutContext(service, TopologyContexts.NO_SERVICE_NAME, List.of()),
                    ctx.getBroadcastState(THREAT_INDICATORS), now, out);
            return;
        }
        TopologyEntry entry = ctx.getBroadcastState(TOPOLOGY_STATE).get(service);
        Waiting queue = waiting.value();
        if (queue != null) {
            if (entry != null) {
                releaseWaiting(ctx.getBroadcastState(TOPOLOGY_STATE), ctx.getBroadcastState(OBSERVED_CALLEES),
                        ctx.getBroadcastState(THREAT_INDICATORS), now, out);
            } else if (queue.count >= maxWaitingPoints) {
                waitingPoints.add(point);
                if (releaseWaiting(ctx.getBroadcastState(TOPOLOGY_STATE), ctx.getBroadcastState(OBSERVED_CALLEES),
                        ctx.getBroadcastState(THREAT_INDICATORS), now, out) > 0) {
                    rememberUndeclared(ctx, now);
                }
                return;
            } else {
                waitingPoints.add(point);
                queue.count++;
                waiting.update(queue);
                return;
            }
        }
        if (entry != null) {
            emit(point, context(entry, service, ctx.getBroadcastState(OBSERVED_CALLEES), null),
                    ctx.getBroadcastState(THREAT_INDICATORS), now, out);
            return;
        }
        Long noWaitUntil = undeclaredUntil.value();
        if (contextWaitMillis == 0 || (noWaitUntil != null && now < noWaitUntil)) {
            emit(point, context(null, service, ctx.getBroadcastState(OBSERVED_CALLEES),
                    TopologyContexts.NOT_IN_TOPOLOGY), ctx.getBroadcastState(THREAT_INDICATORS), now, out);
            return;
        }
        long deadline = now + contextWaitMillis;
        waitingPoints.add(point);
        waiting.update(new Waiting(service, deadline, 1));
        ctx.timerService().registerProcessingTimeTimer(deadline);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EnrichedPoint> out) throws Exception {
        Waiting queue = waiting.value();
        if (queue != null && timestamp >= queue.deadline) {
            if (releaseWaiting(ctx.getBroadcastState(TOPOLOGY_STATE), ctx.getBroadcastState(OBSERVED_CALLEES),
                    ctx.getBroadcastState(THREAT_INDICATORS), timestamp, out) > 0) {
                rememberUndeclared(ctx, timestamp);
            }
            return;
        }
        Long noWaitUntil = undeclaredUntil.value();
        if (noWaitUntil != null && timestamp >= noWaitUntil) {
            undeclaredUntil.clear();
        }
    }

    private void rememberUndeclared(ReadOnlyContext ctx, long now) throws Exception {
        if (undeclaredRecheckMillis == 0) {
            return;
        }
        long until = now + undeclaredRecheckMillis;
        undeclaredUntil.update(until);
        ctx.timerService().registerProcessingTimeTimer(until);
    }

    /**
     * Releases this key's waiting points in order: enriched if their entry is there now, else marked
     * context-wait-expired; returns how many expired.
     */
    private int releaseWaiting(ReadOnlyBroadcastState<String, TopologyEntry> topology,
            ReadOnlyBroadcastState<String, List<String>> callees,
            ReadOnlyBroadcastState<String, ThreatIndicator> indicators, long now, Collector<EnrichedPoint> out)
            throws Exception {
        int expired = 0;
        Iterable<TelemetryPoint> held = waitingPoints.get();
        if (held != null) {
            for (TelemetryPoint point : held) {
                String service = point.getResource().getService();
                TopologyEntry entry = topology.get(service);
                if (entry != null) {
                    pointsContextArrived.inc();
                } else {
                    pointsContextWaitExpired.inc();
                    expired++;
                }
                emit(point, context(entry, service, callees, TopologyContexts.CONTEXT_WAIT_EXPIRED), indicators, now,
                        out);
            }
        }
        waitingPoints.clear();
        waiting.clear();
        return expired;
    }

    private static TopologyContext context(TopologyEntry entryOrNull, String service,
            ReadOnlyBroadcastState<String, List<String>> callees, String reasonIfMissing) throws Exception {
        List<String> observed = callees.get(service);
        if (entryOrNull == null) {
            return TopologyContexts.withoutContext(service, reasonIfMissing, observed == null ? List.of() : observed);
        }
        return TopologyContexts.forService(entryOrNull, service, observed == null ? List.of() : observed);
    }

    private void emit(TelemetryPoint point, TopologyContext context,
            ReadOnlyBroadcastState<String, ThreatIndicator> indicators, long now, Collector<EnrichedPoint> out)
            throws Exception {
        if (!context.getFound()) {
            pointsWithoutContext.inc();
        }
        ThreatContext threat = threatContext(point.getAttributes(), indicators, now);
        if (threat != null) {
            pointsWithThreatContext.inc();
        }
        out.collect(EnrichedPoint.newBuilder().setPoint(point).setContext(context).setThreat(threat).build());
    }

    private ThreatContext threatContext(Map<String, String> attributes,
            ReadOnlyBroadcastState<String, ThreatIndicator> indicators, long now) throws Exception {
        String address = firstPresent(attributes, SOURCE_ADDRESS_ATTRIBUTES, false);
        String userAgent = firstPresent(attributes, USER_AGENT_ATTRIBUTES, true);
        String userAgentClass = attributes.get(USER_AGENT_CLASS_ATTRIBUTE);
        if (address == null && userAgent == null && userAgentClass == null) {
            return null;
        }
        ThreatContext threat = currentThreatIntel(indicators, now).lookup(address, userAgent, now);
        if (threat == null) {
            threat = ThreatContext.newBuilder().setListedIn(new ArrayList<>()).build();
        }
        if (userAgentClass != null && !STANDARD_USER_AGENT.equals(userAgentClass)) {
            threat.setBadUserAgent(true);
        }
        return threat;
    }

    private static String firstPresent(Map<String, String> attributes, List<String> keys, boolean emptyCounts) {
        for (String key : keys) {
            String value = attributes.get(key);
            if (value != null && (emptyCounts || !value.isBlank())) {
                return value.strip();
            }
        }
        return null;
    }

    private ThreatIntel currentThreatIntel(ReadOnlyBroadcastState<String, ThreatIndicator> indicators, long now)
            throws Exception {
        if (threatIntel == null || (threatIntelStale && now - threatIntelBuiltAt >= THREAT_REBUILD_INTERVAL.toMillis())) {
            ThreatIntel.Builder builder = ThreatIntel.builder();
            for (Map.Entry<String, ThreatIndicator> entry : indicators.immutableEntries()) {
                builder.add(entry.getValue());
            }
            threatIntel = builder.build();
            threatIntelStale = false;
            threatIntelBuiltAt = now;
        }
        return threatIntel;
    }

    @Override
    public void processBroadcastElement(KafkaRecord record, Context ctx, Collector<EnrichedPoint> out)
            throws Exception {
        if (serviceEdgesTopic.equals(record.topic)) {
            processEdge(record, ctx);
            return;
        }
        if (threatIntelTopic.equals(record.topic)) {
            processThreatIndicator(record, ctx);
            return;
        }
        if (record.key == null) {
            reject(ctx, record, MISSING_TOPOLOGY_KEY, "topology records are keyed by service name");
            return;
        }
        String service = new String(record.key, StandardCharsets.UTF_8);
        BroadcastState<String, TopologyEntry> topology = ctx.getBroadcastState(TOPOLOGY_STATE);
        if (record.value == null) {
            if (topology.contains(service)) {
                topology.remove(service);
                logChange("removed", service);
            }
            return;
        }
        TopologyEntry entry;
        try {
            entry = topologySerde.decode(record.value);
        } catch (RuntimeException e) {
            reject(ctx, record, UNDECODABLE_TOPOLOGY, e.getMessage());
            return;
        }
        if (!service.equals(entry.getService())) {
            // The key is what compaction and tombstones act on; an entry stored under another name could never
            // be removed again.
            reject(ctx, record, TOPOLOGY_KEY_MISMATCH,
                    "key '" + service + "' but entry for service '" + entry.getService() + "'");
            return;
        }
        logChange(topology.contains(service) ? "updated" : "added", service);
        topology.put(service, entry);
        releaseWaitingFor(service, ctx, out);
    }

    /** Releases, enriched, the points of every resource of {@code service} that wait for its entry. */
    private void releaseWaitingFor(String service, Context ctx, Collector<EnrichedPoint> out) throws Exception {
        Set<String> released = new HashSet<>();
        ctx.applyToKeyedState(WAITING, (key, state) -> {
            Waiting queue = state.value();
            if (queue != null && service.equals(queue.service)) {
                released.add(key);
                state.clear();
            }
        });
        if (released.isEmpty()) {
            return;
        }
        long now = ctx.currentProcessingTime();
        ReadOnlyBroadcastState<String, TopologyEntry> topology = ctx.getBroadcastState(TOPOLOGY_STATE);
        ReadOnlyBroadcastState<String, List<String>> callees = ctx.getBroadcastState(OBSERVED_CALLEES);
        ReadOnlyBroadcastState<String, ThreatIndicator> indicators = ctx.getBroadcastState(THREAT_INDICATORS);
        ctx.applyToKeyedState(WAITING_POINTS, (key, state) -> {
            if (!released.contains(key)) {
                return;
            }
            for (TelemetryPoint point : state.get()) {
                String pointService = point.getResource().getService();
                TopologyEntry entry = topology.get(pointService);
                pointsContextArrived.inc();
                emit(point, context(entry, pointService, callees, TopologyContexts.CONTEXT_WAIT_EXPIRED), indicators,
                        now, out);
            }
            state.clear();
        });
    }

    private void processThreatIndicator(KafkaRecord record, Context ctx) throws Exception {
        if (record.key == null) {
            reject(ctx, record, MISSING_THREAT_INDICATOR_KEY, "threat indicators are keyed by their 'key' field");
            return;
        }
        String key = new String(record.key, StandardCharsets.UTF_8);
        BroadcastState<String, ThreatIndicator> indicators = ctx.getBroadcastState(THREAT_INDICATORS);
        if (record.value == null) {
            if (indicators.contains(key)) {
                indicators.remove(key);
                threatIntelStale = true;
            }
            return;
        }
        ThreatIndicator indicator;
        try {
            indicator = indicatorSerde.decode(record.value);
        } catch (RuntimeException e) {
            reject(ctx, record, UNDECODABLE_THREAT_INDICATOR, e.getMessage());
            return;
        }
        try {
            if (!key.equals(indicator.getKey())) {
                throw new IllegalArgumentException("record key '" + key + "' but indicator key '" + indicator.getKey()
                        + "'");
            }
            ThreatIndicators.validate(indicator);
        } catch (IllegalArgumentException e) {
            reject(ctx, record, INVALID_THREAT_INDICATOR, e.getMessage());
            return;
        }
        indicators.put(key, indicator);
        threatIntelStale = true;
    }

    private void processEdge(KafkaRecord record, Context ctx) throws Exception {
        if (record.key == null) {
            reject(ctx, record, MISSING_SERVICE_EDGE_KEY, "service edges are keyed by caller->callee");
            return;
        }
        String key = new String(record.key, StandardCharsets.UTF_8);
        BroadcastState<String, ServiceEdge> edges = ctx.getBroadcastState(OBSERVED_EDGES);
        BroadcastState<String, List<String>> callees = ctx.getBroadcastState(OBSERVED_CALLEES);
        if (record.value == null) {
            ServiceEdge removed = edges.get(key);
            if (removed != null) {
                edges.remove(key);
                List<String> remaining = new ArrayList<>(callees.get(removed.getCaller()) == null ? List.of()
                        : callees.get(removed.getCaller()));
                remaining.remove(removed.getCallee());
                if (remaining.isEmpty()) {
                    callees.remove(removed.getCaller());
                } else {
                    callees.put(removed.getCaller(), remaining);
                }
                logChange("no longer observed calling '" + removed.getCallee() + "'", removed.getCaller());
            }
            return;
        }
        ServiceEdge edge;
        try {
            edge = edgeSerde.decode(record.value);
        } catch (RuntimeException e) {
            reject(ctx, record, UNDECODABLE_SERVICE_EDGE, e.getMessage());
            return;
        }
        edges.put(key, edge);
        List<String> known = callees.get(edge.getCaller());
        if (known == null || !known.contains(edge.getCallee())) {
            List<String> updated = new ArrayList<>(known == null ? List.of() : known);
            updated.add(edge.getCallee());
            callees.put(edge.getCaller(), updated);
            logChange("observed calling '" + edge.getCallee() + "'", edge.getCaller());
        }
    }

    private void reject(Context ctx, KafkaRecord record, String reason, String detail) {
        if (!reportsBroadcastEvents) {
            return;
        }
        LOG.warn("broadcast record {} rejected: {} ({})", record, reason, detail);
        deadLetterCounters.inc(reason);
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, detail, record, ctx.currentProcessingTime()));
    }

    private void logChange(String change, String service) {
        if (reportsBroadcastEvents) {
            LOG.info("topology: service '{}' {}", service, change);
        }
    }
}
