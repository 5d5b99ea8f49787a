package io.autonomic.ingest.traces;

import io.autonomic.schemas.avro.ServiceEdge;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@code caller->callee} (edge samples only): the observed dependency graph. Each event-time window with
 * calls emits the edge (first and last seen, protocol, calls and errors of that window) when the watermark passes
 * the window's end. An edge not seen for {@code expiryMillis} of event time after its last call is expired: a
 * tombstone is emitted and all its state dropped; a later call starts it afresh.
 */
public final class ServiceEdgeFunction extends KeyedProcessFunction<String, SpanSample, EdgeUpdate>
        implements ResultTypeQueryable<EdgeUpdate> {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final long expiryMillis;
    /** calls, errors per window start. */
    private transient MapState<Long, long[]> windows;
    private transient ValueState<ServiceEdge> edge;

    public ServiceEdgeFunction(long windowMillis, long expiryMillis) {
        if (windowMillis <= 0 || expiryMillis <= 0) {
            throw new IllegalArgumentException("window and expiry must be positive, were " + windowMillis + " and " + expiryMillis);
        }
        this.windowMillis = windowMillis;
        this.expiryMillis = expiryMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("edge-windows", Types.LONG,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        edge = getRuntimeContext().getState(new ValueStateDescriptor<>("edge", TypeInformation.of(ServiceEdge.class)));
    }

    @Override
    public void processElement(SpanSample sample, Context ctx, Collector<EdgeUpdate> out) throws Exception {
        long start = sample.timestampMillis - Math.floorMod(sample.timestampMillis, windowMillis);
        long lastMillis = start + windowMillis - 1;
        if (lastMillis <= ctx.timerService().currentWatermark()) {
            return; // the RED function counts late spans; the edge's existence is already known or will be
        }
        long[] window = windows.get(start);
        if (window == null) {
            window = new long[2];
            ctx.timerService().registerEventTimeTimer(lastMillis);
        }
        window[0]++;
        if (sample.error) {
            window[1]++;
        }
        windows.put(start, window);
        ServiceEdge current = edge.value();
        if (current == null) {
            current = ServiceEdge.newBuilder()
                    .setCaller(sample.caller)
                    .setCallee(sample.callee)
                    .setProtocol(sample.protocol == null ? "" : sample.protocol)
                    .setFirstSeenMillis(sample.timestampMillis)
                    .setLastSeenMillis(sample.timestampMillis)
                    .setCalls(0)
                    .setErrors(0)
                    .build();
        } else {
            current.setFirstSeenMillis(Math.min(current.getFirstSeenMillis(), sample.timestampMillis));
            current.setLastSeenMillis(Math.max(current.getLastSeenMillis(), sample.timestampMillis));
            if (current.getProtocol().isEmpty() && sample.protocol != null) {
                current.setProtocol(sample.protocol);
            }
        }
        edge.update(current);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EdgeUpdate> out) throws Exception {
        ServiceEdge current = edge.value();
        if (current == null) {
            return;
        }
        long start = timestamp - windowMillis + 1;
        long[] window = windows.get(start);
        if (window != null) {
            windows.remove(start);
            ServiceEdge update = ServiceEdge.newBuilder(current).setCalls(window[0]).setErrors(window[1]).build();
            edge.update(update);
            out.collect(new EdgeUpdate(ctx.getCurrentKey(), false, update));
            ctx.timerService().registerEventTimeTimer(current.getLastSeenMillis() + expiryMillis);
        } else if (windows.isEmpty() && timestamp >= current.getLastSeenMillis() + expiryMillis) {
            out.collect(new EdgeUpdate(ctx.getCurrentKey(), true,
                    ServiceEdge.newBuilder(current).setCalls(0).setErrors(0).build()));
            edge.clear();
            windows.clear();
        }
    }

    @Override
    public TypeInformation<EdgeUpdate> getProducedType() {
        return TypeInformation.of(EdgeUpdate.class);
    }
}
