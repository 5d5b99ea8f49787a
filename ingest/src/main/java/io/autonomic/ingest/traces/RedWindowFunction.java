package io.autonomic.ingest.traces;

import io.autonomic.ingest.ResourceIdentity;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.util.LinkedHashMap;
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
 * Keyed by {@link SpanSample#redKey()}: per event-time tumbling window, turns spans into RED points on the span's
 * resource, emitted when the watermark passes the window's end (timestamp = window end):
 *
 * <ul>
 *   <li>service samples: {@code service.request.rate} (1/s), {@code service.request.count},
 *       {@code service.error.ratio}, {@code service.latency.p50/p95/p99} (ms)</li>
 *   <li>edge samples: the same under {@code edge.*}, with attributes {@code caller} and {@code callee}</li>
 * </ul>
 *
 * A span for a window already closed is dropped and counted ({@code lateSpans}). A key's state is gone once its
 * last open window has fired.
 */
public final class RedWindowFunction extends KeyedProcessFunction<String, SpanSample, TelemetryPoint>
        implements ResultTypeQueryable<TelemetryPoint> {

    private static final long serialVersionUID = 1L;
    public static final String SCOPE = "autonomic.traces";

    private final long windowMillis;
    private transient MapState<Long, RedAccumulator> windows;
    private transient ValueState<SpanSample> prototype;
    private transient Counter late;

    public RedWindowFunction(long windowMillis) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("windowMillis must be positive, was " + windowMillis);
        }
        this.windowMillis = windowMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("red-windows", Types.LONG,
                TypeInformation.of(RedAccumulator.class)));
        prototype = getRuntimeContext().getState(new ValueStateDescriptor<>("red-prototype",
                TypeInformation.of(SpanSample.class)));
        late = getRuntimeContext().getMetricGroup().counter("lateSpans");
    }

    @Override
    public void processElement(SpanSample sample, Context ctx, Collector<TelemetryPoint> out) throws Exception {
        long start = sample.timestampMillis - Math.floorMod(sample.timestampMillis, windowMillis);
        long lastMillis = start + windowMillis - 1;
        if (lastMillis <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        RedAccumulator accumulator = windows.get(start);
        if (accumulator == null) {
            accumulator = new RedAccumulator();
            ctx.timerService().registerEventTimeTimer(lastMillis);
        }
        accumulator.add(sample);
        windows.put(start, accumulator);
        if (prototype.value() == null) {
            prototype.update(sample);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryPoint> out) throws Exception {
        long start = timestamp - windowMillis + 1;
        RedAccumulator accumulator = windows.get(start);
        SpanSample sample = prototype.value();
        if (accumulator != null && sample != null && accumulator.calls > 0) {
            emit(sample, start, accumulator, out);
        }
        windows.remove(start);
        if (windows.isEmpty()) {
            windows.clear();
            prototype.clear();
        }
    }

    private void emit(SpanSample sample, long start, RedAccumulator window, Collector<TelemetryPoint> out) {
        boolean service = sample.role == SpanSample.Role.SERVICE;
        String prefix = service ? "service." : "edge.";
        Map<String, String> attributes = new LinkedHashMap<>();
        if (!service) {
            attributes.put("callee", sample.callee);
            attributes.put("caller", sample.caller);
        }
        long end = start + windowMillis;
        out.collect(point(sample, prefix + "request.rate", "1/s", window.calls * 1000.0 / windowMillis, attributes, start, end));
        out.collect(point(sample, prefix + "request.count", "{requests}", window.calls, attributes, start, end));
        out.collect(point(sample, prefix + "error.ratio", "1", (double) window.errors / window.calls, attributes, start, end));
        out.collect(point(sample, prefix + "latency.p50", "ms", window.latency.quantile(0.50), attributes, start, end));
        out.collect(point(sample, prefix + "latency.p95", "ms", window.latency.quantile(0.95), attributes, start, end));
        out.collect(point(sample, prefix + "latency.p99", "ms", window.latency.quantile(0.99), attributes, start, end));
    }

    private static TelemetryPoint point(SpanSample sample, String metric, String unit, double value,
            Map<String, String> attributes, long start, long end) {
        return TelemetryPoint.newBuilder()
                .setResource(sample.resource)
                .setMetric(metric)
                .setUnit(unit)
                .setType(MetricType.GAUGE)
                .setTemporality(Temporality.UNSPECIFIED)
                .setAttributes(new LinkedHashMap<>(attributes))
                .setSeriesKey(ResourceIdentity.seriesKey(sample.resource.getId(), metric, attributes))
                .setTimestampMillis(end)
                .setStartTimestampMillis(start)
                .setValue(value)
                .setScope(SCOPE)
                .build();
    }

    @Override
    public TypeInformation<TelemetryPoint> getProducedType() {
        return TypeInformation.of(TelemetryPoint.class);
    }
}
