package io.autonomic.detect.model;

import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.features.TrendState;
import io.autonomic.models.forecast.FailureForecastModel;
import io.autonomic.models.forecast.TimeToExhaustionModel;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forecasts the exhaustion of each utilization series (keyed by series key) with the live failure forecast models:
 * {@value FailureForecastModel#MODEL_NAME} decides whether the series fails within its horizon, {@value
 * TimeToExhaustionModel#MODEL_NAME}, when live, says how long is left. One {@link Anomaly} per failing episode,
 * detector {@code model:forecast/fails-within}, naming the classifier's version.
 *
 * <p><b>Points.</b> Gauges whose metric ends with the metric suffix (default {@value #DEFAULT_METRIC_SUFFIX}, the
 * suffix the forecasts are trained on), values a fraction of capacity. NaN is a missing point and ignored, as in
 * training; values outside [0, 1] are not a fraction of capacity (a percentage, a bad exporter) and are not scored
 * but counted ({@code forecastPointsOutOfRange}), since the point itself is valid for the other detectors. Each
 * accepted point goes through {@link TrendFeatures#update} and {@link FailureForecastModel#forecast}, the code path
 * training replays, so the model sees features computed as it learned them.
 *
 * <p><b>Episodes.</b> {@code forecast} fires only after the probability held above the threshold for the model's
 * confirmation time; the first firing point raises the anomaly, later points of the same episode raise nothing (a
 * forecast is a page, not one per scrape), and the series re-arms once the probability has stayed below the threshold
 * for {@code rearmAfter} of event time (a cleanup, a restart, a fill that stopped).
 *
 * <p><b>Models.</b> The broadcast side is the models topic, raw, with the descriptors of {@link
 * ResourceModelScoringFunction} ({@link ResourceModelScoringFunction#RELEASES}, {@link
 * ResourceModelScoringFunction#WITHDRAWN}); the job gives this function the records keyed under {@value
 * #NAME_PREFIX} (see {@link #isForecastRelease}) and the resource models the others, so a bad record becomes one
 * dead letter, not one per consumer. A release replaces the model of its name without a restart, a tombstone
 * withdraws it (also one from {@code --models-dir}); a release is deserialized once per task and version (on arrival;
 * after a restore, on first use), never per point. A record that does not decode, is keyed under another name, or
 * whose model does not load becomes a dead letter with the reason, and the previous version stays live. Releases of
 * other families are ignored.
 *
 * <p><b>State.</b> Per series a {@link TrendState} (about 2 KB) and when a reported episode last failed, with a
 * TTL ({@code stateTtl}, refreshed on write), kept only while a classifier is live: with no forecast model published
 * the operator costs nothing per series, and once one is published each series forecasts after the features' warm-up
 * ({@link TrendFeatures#WARM_UP_MILLIS}).
 */
public final class SeriesForecastFunction
        extends KeyedBroadcastProcessFunction<String, EnrichedPoint, KafkaRecord, Anomaly> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SeriesForecastFunction.class);

    public static final String DEFAULT_METRIC_SUFFIX = "utilization";
    /**
     * How long a reported episode's probability must stay below the threshold before the series re-arms: a
     * probability that wavers around the threshold (it does, between the trees' votes) is one episode, not a page
     * every few minutes; a disk cleaned up and idle for this long is a new story when it fills again.
     */
    public static final Duration DEFAULT_REARM_AFTER = Duration.ofMinutes(10);
    /** Model names of the forecast releases; records keyed under it are this function's. */
    public static final String NAME_PREFIX = "forecast/";
    public static final String DETECTOR = ResourceModelScoringFunction.DETECTOR_PREFIX
            + FailureForecastModel.MODEL_NAME;
    public static final String PROBABILITY_ATTRIBUTE = "forecast.probability";
    public static final String HORIZON_ATTRIBUTE = "forecast.horizon_seconds";
    public static final String TIME_TO_EXHAUSTION_ATTRIBUTE = "forecast.time_to_exhaustion_seconds";
    public static final String TIME_TO_EXHAUSTION_VERSION_ATTRIBUTE = "forecast.time_to_exhaustion_model_version";
    public static final String UNKNOWN_FORECAST_MODEL = "unknown-forecast-model";
    static final double CAPACITY = 1.0;

    /** The forecast families, each with the one name it is released under and how a release is loaded. */
    private static final Map<String, String> NAME_OF_FAMILY = Map.of(
            FailureForecastModel.FAMILY, FailureForecastModel.MODEL_NAME,
            TimeToExhaustionModel.FAMILY, TimeToExhaustionModel.MODEL_NAME);

    private final String metricSuffix;
    private final Duration stateTtl;
    private final long rearmAfterMillis;
    private final Map<String, ModelRelease> initialReleases;

    /** Loaded models by name ({@link FailureForecastModel} or {@link TimeToExhaustionModel}), for the live version. */
    private transient Map<String, Loaded> loaded;
    private transient Set<String> unloadableVersions;
    private transient AvroSerde<ModelRelease> releaseSerde;
    private transient ValueState<TrendState> trend;
    /** While a reported episode lasts: when its forecast last reached the threshold; absent: armed. */
    private transient ValueState<Long> episodeLastFailing;
    private transient boolean reportsBroadcastEvents;
    private transient Counter pointsForecast;
    private transient Counter pointsOutOfRange;
    private transient Counter pointsOutOfOrder;
    private transient Counter forecasts;
    private transient Counter releasesApplied;
    private transient Counter withdrawals;
    private transient Counter releasesIgnored;
    private transient DeadLetters.Counters deadLetterCounters;

    private record Loaded(String version, Object model) {
    }

    /**
     * @param initialReleases models to start with (e.g. from {@code --models-dir}); the forecast ones are loaded here,
     *     so a bad one fails the job's construction naming the model; the others are ignored
     * @param metricSuffix the suffix of the metrics forecast, e.g. {@value #DEFAULT_METRIC_SUFFIX}
     * @param rearmAfter how long the probability must stay below the threshold before a reported episode is over
     */
    public SeriesForecastFunction(List<ModelRelease> initialReleases, Duration stateTtl, String metricSuffix,
            Duration rearmAfter) {
        this.metricSuffix = Objects.requireNonNull(metricSuffix, "metricSuffix");
        this.rearmAfterMillis = Objects.requireNonNull(rearmAfter, "rearmAfter").toMillis();
        if (rearmAfterMillis < 0) {
            throw new IllegalArgumentException("rearmAfter must not be negative");
        }
        Objects.requireNonNull(stateTtl, "stateTtl");
        if (stateTtl.isZero() || stateTtl.isNegative()) {
            throw new IllegalArgumentException("stateTtl must be positive");
        }
        this.stateTtl = stateTtl;
        Map<String, ModelRelease> initial = new LinkedHashMap<>();
        for (ModelRelease release : initialReleases) {
            if (!NAME_OF_FAMILY.containsKey(release.getFamily())) {
                continue; // another consumer's model, e.g. an anomaly model in the same directory
            }
            try {
                load(release);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("initial model " + release.getModelName() + ": " + e.getMessage(),
                        e);
            }
            if (initial.put(release.getModelName(), release) != null) {
                throw new IllegalArgumentException("initial model " + release.getModelName() + " given twice");
            }
        }
        this.initialReleases = initial;
    }

    public SeriesForecastFunction(List<ModelRelease> initialReleases, Duration stateTtl, String metricSuffix) {
        this(initialReleases, stateTtl, metricSuffix, DEFAULT_REARM_AFTER);
    }

    public SeriesForecastFunction(List<ModelRelease> initialReleases, Duration stateTtl) {
        this(initialReleases, stateTtl, DEFAULT_METRIC_SUFFIX);
    }

    /** Whether a models-topic record is a forecast model's (by key, so also its tombstones and bad records). */
    public static boolean isForecastRelease(KafkaRecord record) {
        return record.key != null && new String(record.key, StandardCharsets.UTF_8).startsWith(NAME_PREFIX);
    }

    /** Whether a point is a utilization gauge this function forecasts, whatever its value. */
    public static boolean isUtilizationGauge(TelemetryPoint point, String metricSuffix) {
        return point.getType() == MetricType.GAUGE && point.getMetric().endsWith(metricSuffix);
    }

    /** The points to route to this function (so the others are not shuffled to it). */
    public FilterFunction<EnrichedPoint> utilizationGauges() {
        String suffix = metricSuffix;
        return point -> isUtilizationGauge(point.getPoint(), suffix);
    }

    /** The TTL every keyed state of this function is configured with. */
    public StateTtlConfig stateTtlConfig() {
        return StateTtlConfig.newBuilder(stateTtl).updateTtlOnCreateAndWrite().neverReturnExpired().build();
    }

    /**
     * Loads a forecast release of either family.
     *
     * @throws IllegalArgumentException naming the release when it cannot be used
     */
    private static Object load(ModelRelease release) {
        String expectedName = NAME_OF_FAMILY.get(release.getFamily());
        if (!release.getModelName().equals(expectedName)) {
            throw new IllegalArgumentException("a " + release.getFamily() + " model is released as " + expectedName
                    + ", not " + release.getModelName());
        }
        ByteBuffer payload = release.getPayload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        String digest = ModelReleases.versionOf(bytes);
        if (!digest.equals(release.getVersion())) {
            // the version names the model in every forecast: it must be the one the payload is
            throw new IllegalArgumentException("model " + release.getModelName() + " claims version "
                    + release.getVersion() + " but its payload's digest is " + digest);
        }
        try {
            return FailureForecastModel.FAMILY.equals(release.getFamily()) ? FailureForecastModel.fromRelease(release)
                    : TimeToExhaustionModel.fromRelease(release);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // Tribuo and Java deserialization throw a variety of unchecked exceptions on bad payloads
            throw new IllegalArgumentException("model " + release.getModelName() + " version " + release.getVersion()
                    + " does not load: " + e, e);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = stateTtlConfig();
        ValueStateDescriptor<TrendState> trendDescriptor = new ValueStateDescriptor<>("forecast-trend",
                TypeInformation.of(TrendState.class));
        trendDescriptor.enableTimeToLive(ttl);
        ValueStateDescriptor<Long> episodeDescriptor = new ValueStateDescriptor<>("forecast-episode-last-failing",
                Types.LONG);
        episodeDescriptor.enableTimeToLive(ttl);
        trend = getRuntimeContext().getState(trendDescriptor);
        episodeLastFailing = getRuntimeContext().getState(episodeDescriptor);
        loaded = new HashMap<>();
        unloadableVersions = new HashSet<>();
        for (ModelRelease release : initialReleases.values()) {
            loaded.put(release.getModelName(), new Loaded(release.getVersion(), load(release)));
        }
        releaseSerde = AvroSerde.of(ModelRelease.class);
        reportsBroadcastEvents = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        var metrics = getRuntimeContext().getMetricGroup();
        pointsForecast = metrics.counter("forecastPointsScored");
        pointsOutOfRange = metrics.counter("forecastPointsOutOfRange");
        pointsOutOfOrder = metrics.counter("forecastPointsOutOfOrder");
        forecasts = metrics.counter("forecastAnomalies");
        releasesApplied = metrics.counter("forecastReleasesApplied");
        withdrawals = metrics.counter("forecastWithdrawals");
        releasesIgnored = metrics.counter("forecastReleasesIgnored");
        deadLetterCounters = new DeadLetters.Counters(metrics);
        if (!initialReleases.isEmpty() && reportsBroadcastEvents) {
            LOG.info("initial forecast models: {}", initialReleases.values().stream()
                    .map(r -> r.getModelName() + "@" + r.getVersion()).toList());
        }
    }

    @Override
    public void processElement(EnrichedPoint enriched, ReadOnlyContext ctx, Collector<Anomaly> out)
            throws Exception {
        TelemetryPoint point = enriched.getPoint();
        double value = point.getValue();
        if (!isUtilizationGauge(point, metricSuffix) || Double.isNaN(value)) {
            return; // not a utilization gauge (the job routes none here), or a missing point
        }
        if (!(value >= 0 && value <= CAPACITY)) {
            pointsOutOfRange.inc();
            return;
        }
        FailureForecastModel classifier = live(FailureForecastModel.MODEL_NAME, ctx, FailureForecastModel.class);
        if (classifier == null) {
            // no forecast live (never published, or withdrawn): free what the series held
            trend.clear();
            episodeLastFailing.clear();
            return;
        }
        TrendState state = trend.value();
        if (state == null) {
            state = new TrendState();
        }
        if (!TrendFeatures.DEFAULT.update(state, point.getTimestampMillis(), value)) {
            pointsOutOfOrder.inc(); // late or duplicate: the features only move forward in time
            return;
        }
        pointsForecast.inc();
        FailureForecastModel.Prediction prediction = classifier.forecast(state);
        long now = point.getTimestampMillis();
        Long lastFailing = episodeLastFailing.value();
        if (lastFailing != null && prediction.probability() < classifier.threshold()
                && now - lastFailing >= rearmAfterMillis) {
            episodeLastFailing.clear(); // the episode is over: the next failing one is reported again
            lastFailing = null;
        }
        if (lastFailing == null && prediction.fails()) {
            TimeToExhaustionModel regression = live(TimeToExhaustionModel.MODEL_NAME, ctx,
                    TimeToExhaustionModel.class);
            forecasts.inc();
            out.collect(anomaly(enriched, classifier, prediction,
                    regression == null ? null : regression.predict(state)));
            episodeLastFailing.update(now);
        } else if (lastFailing != null && prediction.probability() >= classifier.threshold()) {
            episodeLastFailing.update(now);
        }
        trend.update(state);
    }

    private Anomaly anomaly(EnrichedPoint enriched, FailureForecastModel classifier,
            FailureForecastModel.Prediction prediction, TimeToExhaustionModel.Estimate estimate) {
        TelemetryPoint point = enriched.getPoint();
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ResourceModelScoringFunction.FAMILY_ATTRIBUTE, FailureForecastModel.FAMILY);
        attributes.put(PROBABILITY_ATTRIBUTE, String.format(Locale.ROOT, "%.3f", prediction.probability()));
        attributes.put(HORIZON_ATTRIBUTE, Long.toString(classifier.horizon().toSeconds()));
        String left;
        String versions = "fails-within " + prediction.modelVersion();
        if (estimate != null) {
            long seconds = estimate.timeToExhaustion().toSeconds();
            attributes.put(TIME_TO_EXHAUSTION_ATTRIBUTE, Long.toString(seconds));
            attributes.put(TIME_TO_EXHAUSTION_VERSION_ATTRIBUTE, estimate.modelVersion());
            left = "in ~" + human(estimate.timeToExhaustion());
            versions += ", time-to-exhaustion " + estimate.modelVersion();
        } else {
            left = "within " + human(classifier.horizon());
        }
        String reason = String.format(Locale.ROOT, "%s %.2f of capacity, forecast to be exhausted %s (p=%.2f, %s)",
                point.getMetric(), point.getValue(), left, prediction.probability(), versions);
        String seriesKey = point.getSeriesKey();
        return Anomaly.newBuilder()
                .setAnomalyId(Anomalies.anomalyId(seriesKey, point.getTimestampMillis(), DETECTOR))
                .setResource(point.getResource())
                .setContext(enriched.getContext())
                .setSeriesKey(seriesKey)
                .setMetric(point.getMetric())
                .setAttributes(attributes)
                .setTimestampMillis(point.getTimestampMillis())
                .setObserved(point.getValue())
                .setExpected(CAPACITY)
                .setLower(0.0)
                .setUpper(CAPACITY)
                .setScore(Math.max(0.0, Math.min(1.0, prediction.probability())))
                .setDetector(DETECTOR)
                .setModelVersion(prediction.modelVersion())
                .setReason(reason)
                .build();
    }

    /** {@code 12 min}, {@code 45 s}, {@code 2.5 h}. */
    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 2 * 3600) {
            return Math.round(seconds / 60.0) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }

    /** The live model of {@code name}, loaded once per version; null when none is live or it does not load. */
    private <T> T live(String name, ReadOnlyContext ctx, Class<T> type) throws Exception {
        ModelRelease release;
        if (ctx.getBroadcastState(ResourceModelScoringFunction.WITHDRAWN).contains(name)) {
            return null;
        }
        release = ctx.getBroadcastState(ResourceModelScoringFunction.RELEASES).get(name);
        if (release == null) {
            Loaded initial = initialReleases.containsKey(name) ? loaded.get(name) : null;
            return initial == null ? null : type.cast(initial.model());
        }
        Loaded cached = loaded.get(name);
        if (cached != null && cached.version().equals(release.getVersion())) {
            return type.cast(cached.model());
        }
        // Only after a restore: releases are loaded when they arrive. One attempt per version, not per point.
        String key = name + "@" + release.getVersion();
        if (unloadableVersions.contains(key)) {
            return null;
        }
        try {
            Object model = load(release);
            loaded.put(name, new Loaded(release.getVersion(), model));
            return type.cast(model);
        } catch (RuntimeException e) {
            unloadableVersions.add(key);
            deadLetterCounters.inc(ResourceModelScoringFunction.UNLOADABLE_MODEL);
            LOG.warn("restored forecast model {} version {} cannot be loaded, it forecasts nothing: {}", name,
                    release.getVersion(), e.getMessage());
            return null;
        }
    }

    @Override
    public void processBroadcastElement(KafkaRecord record, Context ctx, Collector<Anomaly> out) throws Exception {
        ModelReleaseRecord read = ModelReleaseRecord.read(record, releaseSerde);
        if (read.isRejected()) {
            reject(ctx, record, read.rejection(), read.detail());
            return;
        }
        String name = read.name();
        BroadcastState<String, ModelRelease> releases = ctx.getBroadcastState(ResourceModelScoringFunction.RELEASES);
        BroadcastState<String, Long> withdrawn = ctx.getBroadcastState(ResourceModelScoringFunction.WITHDRAWN);
        if (read.isWithdrawal()) {
            releases.remove(name);
            loaded.remove(name);
            withdrawn.put(name, record.timestamp);
            if (reportsBroadcastEvents) {
                withdrawals.inc();
                LOG.info("forecast model {} withdrawn", name);
            }
            return;
        }
        ModelRelease release = read.release();
        if (!NAME_OF_FAMILY.containsKey(release.getFamily())) {
            if (name.startsWith(NAME_PREFIX)) {
                // a name this function answers for, of a family it cannot score: a publishing mistake
                reject(ctx, record, UNKNOWN_FORECAST_MODEL, "model " + name + " is of family "
                        + release.getFamily() + ", not one of " + NAME_OF_FAMILY.keySet());
            } else if (reportsBroadcastEvents) {
                releasesIgnored.inc();
            }
            return;
        }
        Object model;
        try {
            model = load(release);
        } catch (RuntimeException e) {
            reject(ctx, record, ResourceModelScoringFunction.UNLOADABLE_MODEL, e.getMessage()
                    + " (the previous version stays live)");
            return;
        }
        ModelRelease previous = releases.get(name);
        releases.put(name, release);
        withdrawn.remove(name);
        loaded.put(name, new Loaded(release.getVersion(), model));
        unloadableVersions.removeIf(key -> key.startsWith(name + "@"));
        if (reportsBroadcastEvents) {
            releasesApplied.inc();
            LOG.info("forecast model {} version {} live (was {})", name, release.getVersion(),
                    previous != null ? previous.getVersion() : initialReleases.containsKey(name)
                            ? initialReleases.get(name).getVersion() + " from the models directory" : "none");
        }
    }

    private void reject(Context ctx, KafkaRecord record, String reason, String detail) {
        if (!reportsBroadcastEvents) {
            return;
        }
        deadLetterCounters.inc(reason);
        LOG.warn("forecast model release {} rejected ({}): {}", record, reason, detail);
        ctx.output(DeadLetters.TAG, DeadLetters.of(ResourceModelScoringFunction.STAGE, reason, detail, record,
                ctx.currentProcessingTime()));
    }
}
