package io.autonomic.ingest.logs;

import io.autonomic.schemas.avro.LogEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by service: mines each log body into its template with one {@link DrainMiner} per service, and tags
 * recognized failure patterns ({@link LogPatterns}), inferring {@link LogPatterns#CRASH_LOOP} when a service logs
 * {@link #CRASH_LOOP_RESTARTS} restart lines within {@link #CRASH_LOOP_WINDOW_MILLIS} of event time.
 *
 * <p>The miner's state is its compact byte form ({@link DrainMiner#toBytes}) in keyed state, the source of truth
 * on restore. Decoding it for every record would dominate the cost, so live miners are also cached per key in
 * this subtask; the state is rewritten only when a template is created or generalized, which stops happening once
 * a service's templates have settled.
 */
public final class LogMinerFunction extends KeyedProcessFunction<String, LogEvent, LogEvent>
        implements ResultTypeQueryable<LogEvent> {

    private static final long serialVersionUID = 1L;
    static final int CRASH_LOOP_RESTARTS = 3;
    static final long CRASH_LOOP_WINDOW_MILLIS = 5 * 60_000L;

    private final MinerConfig config;
    private transient ValueState<byte[]> minerState;
    private transient ValueState<long[]> recentRestarts;
    private transient Map<String, DrainMiner> miners;
    private transient Counter templatesCreated;
    private transient Counter overflowLines;

    public LogMinerFunction(MinerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void open(OpenContext openContext) {
        minerState = getRuntimeContext().getState(new ValueStateDescriptor<>("drain-miner",
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        recentRestarts = getRuntimeContext().getState(new ValueStateDescriptor<>("recent-restarts",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        miners = new HashMap<>();
        templatesCreated = getRuntimeContext().getMetricGroup().counter("logTemplatesCreated");
        overflowLines = getRuntimeContext().getMetricGroup().counter("logTemplateOverflowLines");
    }

    @Override
    public void processElement(LogEvent event, Context ctx, Collector<LogEvent> out) throws Exception {
        String service = ctx.getCurrentKey();
        DrainMiner miner = miners.get(service);
        if (miner == null) {
            byte[] stored = minerState.value();
            miner = stored == null ? new DrainMiner(config) : DrainMiner.fromBytes(config, stored);
            miners.put(service, miner);
        }
        DrainMiner.Match match = miner.add(event.getBody());
        if (match.changed()) {
            minerState.update(miner.toBytes());
        }
        if (match.created()) {
            templatesCreated.inc();
        }
        if (DrainMiner.OVERFLOW_ID.equals(match.templateId())) {
            overflowLines.inc();
        }
        List<String> patterns = new ArrayList<>(LogPatterns.recognize(event.getBody()));
        if (patterns.contains(LogPatterns.RESTART) && !patterns.contains(LogPatterns.CRASH_LOOP)
                && restartsWithinWindow(event.getTimestampMillis()) >= CRASH_LOOP_RESTARTS) {
            patterns.add(0, LogPatterns.CRASH_LOOP);
        }
        out.collect(LogEvent.newBuilder(event)
                .setTemplateId(match.templateId())
                .setTemplate(match.template())
                .setParameters(match.parameters())
                .setPatterns(patterns)
                .build());
    }

    /** Records a restart at {@code timestamp}; returns how many restarts fall within the window ending there. */
    private int restartsWithinWindow(long timestamp) throws Exception {
        long[] previous = recentRestarts.value();
        List<Long> kept = new ArrayList<>();
        if (previous != null) {
            for (long t : previous) {
                if (timestamp - t < CRASH_LOOP_WINDOW_MILLIS && t - timestamp < CRASH_LOOP_WINDOW_MILLIS) {
                    kept.add(t);
                }
            }
        }
        kept.add(timestamp);
        while (kept.size() > CRASH_LOOP_RESTARTS) {
            kept.remove(0);
        }
        recentRestarts.update(kept.stream().mapToLong(Long::longValue).toArray());
        return kept.size();
    }

    @Override
    public TypeInformation<LogEvent> getProducedType() {
        return TypeInformation.of(LogEvent.class);
    }
}
