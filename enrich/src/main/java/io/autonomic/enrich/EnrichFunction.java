package io.autonomic.enrich;

import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.ServiceEdge;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches the declared topology to each point. The broadcast side receives the topology topic's raw records, so a
 * tombstone (null value) removes its service and a value that does not decode becomes a dead letter instead of
 * failing the job. Points are matched on {@code resource.service}; a point whose service is not declared (or has no
 * service) passes on at once with {@code found=false} and is counted in {@value #POINTS_WITHOUT_CONTEXT}.
 *
 * <p>The broadcast side also carries the service-edges topic (told apart by the record's topic): the dependency
 * graph observed in traces. Its callees of the point's service become {@code observedDependencies}, next to the
 * declared {@code dependencies}; an edge tombstone removes the callee. Both change live, without a restart.
 *
 * <p>Every parallel instance sees every broadcast record, so dead letters and log lines about topology records are
 * emitted by subtask 0 only; otherwise one bad record would be reported once per subtask.
 */
public final class EnrichFunction extends BroadcastProcessFunction<TelemetryPoint, KafkaRecord, EnrichedPoint> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrichFunction.class);

    /** Declared services by name: the broadcast state every instance holds. */
    public static final MapStateDescriptor<String, TopologyEntry> TOPOLOGY_STATE = new MapStateDescriptor<>(
            "topology", Types.STRING, TypeInformation.of(TopologyEntry.class));

    /** Observed edges by {@code caller->callee}, so a tombstone (which has no value) can find its caller. */
    public static final MapStateDescriptor<String, ServiceEdge> OBSERVED_EDGES = new MapStateDescriptor<>(
            "observed-edges", Types.STRING, TypeInformation.of(ServiceEdge.class));
    /** Observed callees by caller: what a point's lookup reads. */
    public static final MapStateDescriptor<String, List<String>> OBSERVED_CALLEES = new MapStateDescriptor<>(
            "observed-callees", Types.STRING, Types.LIST(Types.STRING));

    public static final String STAGE = "enrich";
    public static final String UNDECODABLE_SERVICE_EDGE = "undecodable-service-edge";
    public static final String MISSING_SERVICE_EDGE_KEY = "missing-service-edge-key";
    public static final String POINTS_WITHOUT_CONTEXT = "pointsWithoutContext";
    public static final String UNDECODABLE_TOPOLOGY = "undecodable-topology";
    public static final String MISSING_TOPOLOGY_KEY = "missing-topology-key";
    public static final String TOPOLOGY_KEY_MISMATCH = "topology-key-mismatch";

    private final String serviceEdgesTopic;
    private transient AvroSerde<TopologyEntry> topologySerde;
    private transient AvroSerde<ServiceEdge> edgeSerde;
    private transient Counter pointsWithoutContext;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient boolean reportsBroadcastEvents;

    /** With the service-edges topic's default name. */
    public EnrichFunction() {
        this(Topics.defaults().serviceEdges().name());
    }

    /** @param serviceEdgesTopic the name of the service-edges topic, which tells its broadcast records apart */
    public EnrichFunction(String serviceEdgesTopic) {
        this.serviceEdgesTopic = Objects.requireNonNull(serviceEdgesTopic, "serviceEdgesTopic");
    }

    @Override
    public void open(OpenContext openContext) {
        topologySerde = AvroSerde.of(TopologyEntry.class);
        edgeSerde = AvroSerde.of(ServiceEdge.class);
        pointsWithoutContext = getRuntimeContext().getMetricGroup().counter(POINTS_WITHOUT_CONTEXT);
        deadLetterCounters = new DeadLetters.Counters(getRuntimeContext().getMetricGroup());
        reportsBroadcastEvents = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void processElement(TelemetryPoint point, ReadOnlyContext ctx, Collector<EnrichedPoint> out)
            throws Exception {
        String service = point.getResource().getService();
        TopologyEntry entry = service == null ? null : ctx.getBroadcastState(TOPOLOGY_STATE).get(service);
        List<String> observed = service == null ? null : ctx.getBroadcastState(OBSERVED_CALLEES).get(service);
        TopologyContext context = TopologyContexts.forService(entry, service, observed == null ? List.of() : observed);
        if (!context.getFound()) {
            pointsWithoutContext.inc();
        }
        out.collect(EnrichedPoint.newBuilder().setPoint(point).setContext(context).build());
    }

    @Override
    public void processBroadcastElement(KafkaRecord record, Context ctx, Collector<EnrichedPoint> out)
            throws Exception {
        if (serviceEdgesTopic.equals(record.topic)) {
            processEdge(record, ctx);
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
        LOG.warn("topology record {} rejected: {} ({})", record, reason, detail);
        deadLetterCounters.inc(reason);
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, detail, record, ctx.currentProcessingTime()));
    }

    private void logChange(String change, String service) {
        if (reportsBroadcastEvents) {
            LOG.info("topology: service '{}' {}", service, change);
        }
    }
}
