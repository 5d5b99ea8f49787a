package io.autonomic.detect.scoring;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.models.forecast.ExhaustionForecaster;
import io.autonomic.models.forecast.ExhaustionState;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.models.features.SignalValues;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores every point of one series (keyed by series key) with the threshold rules and the learned baseline, and emits
 * it as a {@link ScoredPoint}, anomalous or not; the anomalies also go to the {@link #ANOMALIES} side output.
 *
 * <p>State per series, all with a TTL (default {@link #DEFAULT_STATE_TTL}, refreshed on every write) so series that
 * disappear (restarted pods, removed attributes) do not accumulate: the baseline, since when each rule's condition
 * has held, the last reading of a cumulative counter, and (when {@code exhaustionForecast} is on) the trend of a
 * {@code *.utilization} gauge for the time-to-exhaustion forecast.
 *
 * <p>Cumulative monotonic sums are scored as a per-second rate, because their raw value only ever grows and drops to
 * zero when the process restarts; a decrease is taken as a counter reset and not scored.
 */
public final class SeriesScoringFunction extends KeyedProcessFunction<String, EnrichedPoint, ScoredPoint> {

    public static final OutputTag<Anomaly> ANOMALIES = new OutputTag<>("anomalies", TypeInformation.of(Anomaly.class));
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);
    /** Gauges whose name ends so are fractions of a capacity (OpenTelemetry semantic conventions). */
    public static final String UTILIZATION_SUFFIX = ".utilization";

    private static final Logger LOG = LoggerFactory.getLogger(SeriesScoringFunction.class);

    private final List<ThresholdRule> rules;
    private final EwmaZScoreDetector detector;
    private final Duration stateTtl;
    private final ExhaustionForecaster forecaster;

    private transient ValueState<EwmaState> baseline;
    private transient MapState<String, Long> ruleHeldSince;
    private transient ValueState<CounterReading> lastCounterReading;
    private transient ValueState<ExhaustionState> exhaustion;
    private transient Counter forecastAnomalies;
    private transient Counter ruleAnomalies;
    private transient Counter learnedAnomalies;
    private transient Counter nonFiniteValues;
    private transient DeadLetters.Counters deadLetterCounters;

    public SeriesScoringFunction(DetectConfig config, Duration stateTtl) {
        Objects.requireNonNull(config, "config");
        this.rules = config.rules();
        this.detector = config.detector().enabled() ? new EwmaZScoreDetector(config.detector()) : null;
        this.stateTtl = Objects.requireNonNull(stateTtl, "stateTtl");
        this.forecaster = config.detector().exhaustionForecast() ? ExhaustionForecaster.defaults() : null;
        if (stateTtl.isZero() || stateTtl.isNegative()) {
            throw new IllegalArgumentException("stateTtl must be positive");
        }
    }

    public SeriesScoringFunction(DetectConfig config) {
        this(config, DEFAULT_STATE_TTL);
    }

    /** The TTL every state of this function is configured with. */
    public StateTtlConfig stateTtlConfig() {
        return StateTtlConfig.newBuilder(stateTtl)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                .build();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = stateTtlConfig();
        ValueStateDescriptor<EwmaState> baselineDescriptor =
                new ValueStateDescriptor<>("ewma-baseline", TypeInformation.of(EwmaState.class));
        baselineDescriptor.enableTimeToLive(ttl);
        MapStateDescriptor<String, Long> ruleDescriptor =
                new MapStateDescriptor<>("rule-held-since", Types.STRING, Types.LONG);
        ruleDescriptor.enableTimeToLive(ttl);
        ValueStateDescriptor<CounterReading> counterDescriptor =
                new ValueStateDescriptor<>("last-counter-reading", TypeInformation.of(CounterReading.class));
        counterDescriptor.enableTimeToLive(ttl);
        ValueStateDescriptor<ExhaustionState> exhaustionDescriptor =
                new ValueStateDescriptor<>("exhaustion-trend", TypeInformation.of(ExhaustionState.class));
        exhaustionDescriptor.enableTimeToLive(ttl);
        exhaustion = getRuntimeContext().getState(exhaustionDescriptor);
        baseline = getRuntimeContext().getState(baselineDescriptor);
        ruleHeldSince = getRuntimeContext().getMapState(ruleDescriptor);
        lastCounterReading = getRuntimeContext().getState(counterDescriptor);
        var metrics = getRuntimeContext().getMetricGroup();
        ruleAnomalies = metrics.counter("ruleAnomalies");
        learnedAnomalies = metrics.counter("learnedAnomalies");
        forecastAnomalies = metrics.counter("forecastAnomalies");
        nonFiniteValues = metrics.counter("nonFiniteValues");
        deadLetterCounters = new DeadLetters.Counters(metrics);
    }

    @Override
    public void processElement(EnrichedPoint point, Context ctx, Collector<ScoredPoint> out) throws Exception {
        List<Anomaly> anomalies = new ArrayList<>(1);
        double value = point.getPoint().getValue();
        if (!Double.isFinite(value)) {
            nonFiniteValues.inc();
        } else {
            try {
                checkRules(point, anomalies);
                scoreLearned(point, anomalies);
                forecastExhaustion(point, anomalies);
            } catch (RuntimeException e) {
                // The point still flows on below: it proves the resource is alive even if it could not be scored.
                LOG.warn("cannot score point of series {}: {}", ctx.getCurrentKey(), e.toString());
                anomalies.clear();
                deadLetterCounters.inc("scoring-failed");
                ctx.output(DeadLetters.TAG, PointDeadLetters.of("scoring-failed", e, point,
                        ctx.timerService().currentProcessingTime()));
            }
        }
        out.collect(new ScoredPoint(point, anomalies));
        for (Anomaly anomaly : anomalies) {
            ctx.output(ANOMALIES, anomaly);
        }
    }

    private void checkRules(EnrichedPoint enriched, List<Anomaly> anomalies) throws Exception {
        TelemetryPoint point = enriched.getPoint();
        long ts = point.getTimestampMillis();
        for (ThresholdRule rule : rules) {
            if (!rule.appliesTo(point)) {
                continue;
            }
            if (!rule.breachedBy(point.getValue())) {
                ruleHeldSince.remove(rule.name());
                continue;
            }
            Long since = ruleHeldSince.get(rule.name());
            if (since == null || ts < since) {
                since = ts;
                ruleHeldSince.put(rule.name(), since);
            }
            if (ts - since >= rule.holdFor().toMillis()) {
                anomalies.add(Anomalies.fromRule(enriched, rule, since));
                ruleAnomalies.inc();
            }
        }
    }

    private void scoreLearned(EnrichedPoint enriched, List<Anomaly> anomalies) throws Exception {
        if (detector == null) {
            return;
        }
        TelemetryPoint point = enriched.getPoint();
        boolean counter = isCumulativeCounter(point);
        double observed;
        if (counter) {
            CounterReading previous = lastCounterReading.value();
            long ts = point.getTimestampMillis();
            if (previous != null && ts <= previous.timestampMillis) {
                return; // out of order or duplicate: no rate to compute, and the newer reading stays the reference
            }
            lastCounterReading.update(new CounterReading(ts, point.getValue()));
            observed = previous == null ? Double.NaN
                    : SignalValues.rate(previous.timestampMillis, previous.value, ts, point.getValue());
            if (Double.isNaN(observed)) {
                return; // first reading, or a reset after a restart
            }
        } else {
            observed = point.getValue();
        }
        EwmaState state = baseline.value();
        if (state == null) {
            state = new EwmaState();
        }
        EwmaScore score = detector.score(state, point.getTimestampMillis(), observed);
        baseline.update(state);
        if (score.anomalous()) {
            anomalies.add(Anomalies.fromEwma(enriched, score, observed, counter));
            learnedAnomalies.inc();
        }
    }

    private void forecastExhaustion(EnrichedPoint enriched, List<Anomaly> anomalies) throws Exception {
        TelemetryPoint point = enriched.getPoint();
        if (forecaster == null || point.getType() != MetricType.GAUGE
                || !point.getMetric().endsWith(UTILIZATION_SUFFIX)) {
            return;
        }
        ExhaustionState state = exhaustion.value();
        if (state == null) {
            state = new ExhaustionState();
        }
        ExhaustionForecaster.Forecast forecast = forecaster.update(state, point.getTimestampMillis(),
                point.getValue());
        exhaustion.update(state);
        if (forecast.fires()) {
            anomalies.add(Anomalies.fromForecast(enriched, forecast, forecaster.capacity(), forecaster.horizon()));
            forecastAnomalies.inc();
        }
    }

    /** Whether the point is a monotonic cumulative sum, scored as a per-second rate. */
    public static boolean isCumulativeCounter(TelemetryPoint point) {
        return SignalValues.isCumulativeCounter(point);
    }
}
