package io.autonomic.enrich;

import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
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
 * <p>Every parallel instance sees every broadcast record, so dead letters and log lines about topology records are
 * emitted by subtask 0 only; otherwise one bad record would be reported once per subtask.
 */
public final class EnrichFunction extends BroadcastProcessFunction<TelemetryPoint, KafkaRecord, EnrichedPoint> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EnrichFunction.class);

    /** Declared services by name: the broadcast state every instance holds. */
    public static final MapStateDescriptor<String, TopologyEntry> TOPOLOGY_STATE = new MapStateDescriptor<>(
            "topology", Types.STRING, TypeInformation.of(TopologyEntry.class));

    public static final String STAGE = "enrich";
    public static final String POINTS_WITHOUT_CONTEXT = "pointsWithoutContext";
    public static final String UNDECODABLE_TOPOLOGY = "undecodable-topology";
    public static final String MISSING_TOPOLOGY_KEY = "missing-topology-key";
    public static final String TOPOLOGY_KEY_MISMATCH = "topology-key-mismatch";

    private transient AvroSerde<TopologyEntry> topologySerde;
    private transient Counter pointsWithoutContext;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient boolean reportsBroadcastEvents;

    @Override
    public void open(OpenContext openContext) {
        topologySerde = AvroSerde.of(TopologyEntry.class);
        pointsWithoutContext = getRuntimeContext().getMetricGroup().counter(POINTS_WITHOUT_CONTEXT);
        deadLetterCounters = new DeadLetters.Counters(getRuntimeContext().getMetricGroup());
        reportsBroadcastEvents = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void processElement(TelemetryPoint point, ReadOnlyContext ctx, Collector<EnrichedPoint> out)
            throws Exception {
        String service = point.getResource().getService();
        TopologyEntry entry = service == null ? null : ctx.getBroadcastState(TOPOLOGY_STATE).get(service);
        TopologyContext context = TopologyContexts.forService(entry, service);
        if (!context.getFound()) {
            pointsWithoutContext.inc();
        }
        out.collect(EnrichedPoint.newBuilder().setPoint(point).setContext(context).build());
    }

    @Override
    public void processBroadcastElement(KafkaRecord record, Context ctx, Collector<EnrichedPoint> out)
            throws Exception {
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
