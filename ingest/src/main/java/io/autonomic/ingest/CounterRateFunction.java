package io.autonomic.ingest;

import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns monotonic counters into per-second rates: for each series (keyed by {@code seriesKey}) it emits a
 * {@code <metric>.rate} gauge with unit {@code <unit>/s}.
 *
 * <ul>
 *   <li>Cumulative: {@code (value - previous) / (time - previous time)} between consecutive points of the same
 *       counter. A counter reset — the value went down, or {@code start_time_unix_nano} changed (the process
 *       restarted) — emits nothing and makes the new point the baseline, so a restart never shows as a spike
 *       (nor as a negative rate). The first point of a series only sets the baseline.</li>
 *   <li>Delta: {@code value / (time - start time)}; when the start time is missing, the time since the previous
 *       point of the series is the interval. A negative delta of a monotonic counter is dropped.</li>
 *   <li>Points that are not newer than the last one seen (duplicates, replays) are ignored.</li>
 * </ul>
 *
 * <p>State per series: the last value and its times. It expires {@code stateTtl} after the series' last point
 * (a processing-time timer), so series of processes that went away do not pile up; a series that comes back after
 * that starts over with a new baseline.
 */
public final class CounterRateFunction extends KeyedProcessFunction<String, TelemetryPoint, TelemetryPoint>
        implements ResultTypeQueryable<TelemetryPoint> {

    private static final long serialVersionUID = 1L;

    public static final String RATE_SUFFIX = ".rate";
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

    private final long stateTtlMillis;

    private transient ValueState<LastPoint> last;
    private transient ValueState<Long> expiryTimer;
    private transient Counter resets;

    public CounterRateFunction(Duration stateTtl) {
        Objects.requireNonNull(stateTtl, "stateTtl");
        if (stateTtl.isZero() || stateTtl.isNegative()) {
            throw new IllegalArgumentException("stateTtl must be positive: " + stateTtl);
        }
        this.stateTtlMillis = stateTtl.toMillis();
    }

    /** Which points this function is for: monotonic sums and counts with a temporality. */
    public static boolean appliesTo(TelemetryPoint point) {
        return point.getMonotonic() && point.getTemporality() != Temporality.UNSPECIFIED;
    }

    @Override
    public void open(OpenContext openContext) {
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last-counter-point", Types.POJO(LastPoint.class)));
        expiryTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("expiry-timer", Types.LONG));
        resets = getRuntimeContext().getMetricGroup().counter("counterResets");
    }

    @Override
    public void processElement(TelemetryPoint point, Context ctx, Collector<TelemetryPoint> out) throws Exception {
        LastPoint previous = last.value();
        long time = point.getTimestampMillis();
        if (previous != null && time <= previous.timestampMillis) {
            return;
        }
        double value = point.getValue();
        if (point.getTemporality() == Temporality.DELTA) {
            long start = point.getStartTimestampMillis();
            long intervalStart = start > 0 && start < time ? start : previous == null ? 0 : previous.timestampMillis;
            if (intervalStart > 0 && value >= 0) {
                out.collect(rate(point, value / ((time - intervalStart) / 1000.0)));
            }
        } else if (previous != null) {
            boolean restarted = point.getStartTimestampMillis() != previous.startTimestampMillis;
            if (restarted || value < previous.value) {
                resets.inc();
            } else {
                out.collect(rate(point, (value - previous.value) / ((time - previous.timestampMillis) / 1000.0)));
            }
        }
        last.update(new LastPoint(value, time, point.getStartTimestampMillis()));
        renewExpiry(ctx);
    }

    private void renewExpiry(Context ctx) throws Exception {
        Long timer = expiryTimer.value();
        if (timer != null) {
            ctx.timerService().deleteProcessingTimeTimer(timer);
        }
        long expiry = ctx.timerService().currentProcessingTime() + stateTtlMillis;
        ctx.timerService().registerProcessingTimeTimer(expiry);
        expiryTimer.update(expiry);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryPoint> out) {
        last.clear();
        expiryTimer.clear();
    }

    private static TelemetryPoint rate(TelemetryPoint counter, double perSecond) {
        String metric = counter.getMetric() + RATE_SUFFIX;
        return TelemetryPoint.newBuilder(counter)
                .setMetric(metric)
                .setUnit(counter.getUnit().isEmpty() ? "1/s" : counter.getUnit() + "/s")
                .setType(MetricType.GAUGE)
                .setTemporality(Temporality.UNSPECIFIED)
                .setMonotonic(false)
                .setValue(perSecond)
                .setSeriesKey(ResourceIdentity.seriesKey(counter.getResource().getId(), metric, counter.getAttributes()))
                .build();
    }

    @Override
    public TypeInformation<TelemetryPoint> getProducedType() {
        return TypeInformation.of(TelemetryPoint.class);
    }

    /** The state of one series: its last value and times. A POJO so Flink serializes it without Kryo. */
    public static final class LastPoint {
        public double value;
        public long timestampMillis;
        public long startTimestampMillis;

        public LastPoint() {
        }

        LastPoint(double value, long timestampMillis, long startTimestampMillis) {
            this.value = value;
            this.timestampMillis = timestampMillis;
            this.startTimestampMillis = startTimestampMillis;
        }
    }
}
