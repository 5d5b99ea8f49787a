package io.autonomic.ingest.logs;

import io.autonomic.schemas.avro.TelemetryPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by series key: sums the values of incoming points per event-time tumbling window and emits one DELTA sum
 * point per window when the watermark passes its end (timestamp = window end, start timestamp = window start).
 * Each incoming point is one occurrence (value 1) or a pre-counted batch. A point for a window the watermark has
 * already closed is dropped and counted ({@code lateCountSamples}); all state of a key is gone once its last open
 * window has fired.
 */
public final class WindowedCountFunction extends KeyedProcessFunction<String, TelemetryPoint, TelemetryPoint>
        implements ResultTypeQueryable<TelemetryPoint> {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private transient MapState<Long, Double> sums;
    private transient ValueState<TelemetryPoint> prototype;
    private transient Counter late;

    public WindowedCountFunction(long windowMillis) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("windowMillis must be positive, was " + windowMillis);
        }
        this.windowMillis = windowMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        sums = getRuntimeContext().getMapState(new MapStateDescriptor<>("window-sums", Types.LONG, Types.DOUBLE));
        prototype = getRuntimeContext().getState(new ValueStateDescriptor<>("series-prototype",
                TypeInformation.of(TelemetryPoint.class)));
        late = getRuntimeContext().getMetricGroup().counter("lateCountSamples");
    }

    @Override
    public void processElement(TelemetryPoint point, Context ctx, Collector<TelemetryPoint> out) throws Exception {
        long start = windowStart(point.getTimestampMillis(), windowMillis);
        long lastMillis = start + windowMillis - 1;
        if (lastMillis <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        Double sum = sums.get(start);
        if (sum == null) {
            ctx.timerService().registerEventTimeTimer(lastMillis);
            sum = 0.0;
        }
        sums.put(start, sum + point.getValue());
        if (prototype.value() == null) {
            prototype.update(point);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryPoint> out) throws Exception {
        long start = timestamp - windowMillis + 1;
        Double sum = sums.get(start);
        TelemetryPoint series = prototype.value();
        if (sum != null && series != null) {
            out.collect(TelemetryPoint.newBuilder(series)
                    .setTimestampMillis(start + windowMillis)
                    .setStartTimestampMillis(start)
                    .setValue(sum)
                    .build());
        }
        sums.remove(start);
        if (sums.isEmpty()) {
            prototype.clear();
            sums.clear();
        }
    }

    static long windowStart(long timestamp, long windowMillis) {
        return timestamp - Math.floorMod(timestamp, windowMillis);
    }

    /** Open windows of the current key, for tests. */
    List<Long> openWindows() throws Exception {
        List<Long> starts = new ArrayList<>();
        for (Map.Entry<Long, Double> entry : sums.entries()) {
            starts.add(entry.getKey());
        }
        return starts;
    }

    @Override
    public TypeInformation<TelemetryPoint> getProducedType() {
        return TypeInformation.of(TelemetryPoint.class);
    }
}
