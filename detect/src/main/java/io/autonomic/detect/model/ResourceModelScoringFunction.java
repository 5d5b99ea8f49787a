package io.autonomic.detect.model;

import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.models.features.SignalValues;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 * Scores each resource (keyed by resource id) with the live model of every registered family that applies to its
 * kind, e.g. {@code anomaly/HOST_PROCESS} or else {@code anomaly/default}, and emits an {@link Anomaly} naming the
 * model and its version when one finds the resource abnormal.
 *
 * <p><b>Models.</b> The broadcast side is the models topic, raw: a {@link ModelRelease} replaces the model of its name
 * (key) on every task without a restart, a tombstone withdraws it. A release is deserialized once per task and
 * version when it arrives (kept in a transient cache; after a restore, on first use), never per point. A release
 * that does not decode, is keyed under another name, or whose payload the family rejects becomes a dead letter with
 * the reason and the previous version stays live. Releases of families no {@link LiveModelFamily} is registered for
 * belong to other consumers and are ignored. The releases sit in broadcast state, so a job restored from a
 * checkpoint has the models it had. Initial models (from {@code --models-dir}) are given to the constructor, checked
 * there, and used until the topic releases or withdraws a model of the same name.
 *
 * <p><b>Snapshots.</b> Per resource the function keeps the latest reading of each signal a live model reads (other
 * metrics are not stored), and scores the resource's <i>snapshot</i> when a reading with a newer timestamp arrives:
 * one scrape's metrics share a timestamp, so the snapshot is complete when the next scrape begins, and is not judged
 * half-updated. It scores at most once per {@code scoreInterval} of event time per resource, because a sustained
 * condition would otherwise raise one anomaly per scrape, and event time (not processing time) keeps replays and tests
 * deterministic. Readings older than {@code signalMaxAge} at the snapshot time are left out (a model reads an absent
 * signal as typical), so a metric that stopped reporting does not freeze into every later snapshot. Cumulative
 * counters are read as per-second rates, like the learned baseline does. No timers: the broadcast side carries no
 * watermarks, so the last snapshot before a resource goes silent is not scored.
 *
 * <p>All keyed state has a TTL ({@code stateTtl}, refreshed on write), so resources that disappear do not
 * accumulate. Broadcast-side dead letters and log lines come from subtask 0 only, since every subtask sees every
 * release.
 */
public final class ResourceModelScoringFunction
        extends KeyedBroadcastProcessFunction<String, EnrichedPoint, KafkaRecord, Anomaly> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ResourceModelScoringFunction.class);

    /** Live releases by model name: the broadcast state. */
    public static final MapStateDescriptor<String, ModelRelease> RELEASES = new MapStateDescriptor<>(
            "model-releases", Types.STRING, TypeInformation.of(ModelRelease.class));
    /** Withdrawn model names with the tombstone's timestamp; a withdrawal also hides an initial model. */
    public static final MapStateDescriptor<String, Long> WITHDRAWN = new MapStateDescriptor<>(
            "withdrawn-models", Types.STRING, Types.LONG);

    public static final String STAGE = "detect";
    public static final String DETECTOR_PREFIX = "model:";
    /** Anomaly attribute naming the model family. */
    public static final String FAMILY_ATTRIBUTE = "autonomic.model.family";
    public static final String UNDECODABLE_RELEASE = "undecodable-model-release";
    public static final String MISSING_MODEL_KEY = "missing-model-key";
    public static final String MODEL_KEY_MISMATCH = "model-key-mismatch";
    public static final String UNLOADABLE_MODEL = "unloadable-model";

    public static final Duration DEFAULT_SCORE_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SIGNAL_MAX_AGE = SignalValues.DEFAULT_SIGNAL_MAX_AGE;

    private final LiveModelRegistry registry;
    private final Map<String, ModelRelease> initialReleases;
    private final Duration stateTtl;
    private final long scoreIntervalMillis;
    private final long signalMaxAgeMillis;

    private transient Map<String, LiveModel> loaded;
    private transient Set<String> unloadableVersions;
    private transient AvroSerde<ModelRelease> releaseSerde;
    private transient MapState<String, SignalReading> readings;
    private transient ValueState<ScoringProgress> progress;
    private transient boolean reportsBroadcastEvents;
    private transient Counter snapshotsScored;
    private transient Counter modelAnomalies;
    private transient Counter releasesApplied;
    private transient Counter withdrawals;
    private transient Counter releasesIgnored;
    private transient DeadLetters.Counters deadLetterCounters;

    /**
     * @param initialReleases models to start with (e.g. read from {@code --models-dir}); each of a registered family
     *     is loaded here, so a bad one fails the job's construction naming the model; the others are ignored
     */
    public ResourceModelScoringFunction(LiveModelRegistry registry, List<ModelRelease> initialReleases,
            Duration stateTtl, Duration scoreInterval, Duration signalMaxAge) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.stateTtl = positive(stateTtl, "stateTtl");
        this.scoreIntervalMillis = Objects.requireNonNull(scoreInterval, "scoreInterval").toMillis();
        if (scoreIntervalMillis < 0) {
            throw new IllegalArgumentException("scoreInterval must not be negative");
        }
        this.signalMaxAgeMillis = positive(signalMaxAge, "signalMaxAge").toMillis();
        Map<String, ModelRelease> initial = new LinkedHashMap<>();
        for (ModelRelease release : initialReleases) {
            if (registry.family(release.getFamily()).isEmpty()) {
                continue; // another consumer's model, e.g. a diagnosis model in the same directory
            }
            try {
                registry.load(release);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("initial " + e.getMessage(), e);
            }
            if (initial.put(release.getModelName(), release) != null) {
                throw new IllegalArgumentException("initial model " + release.getModelName() + " given twice");
            }
        }
        this.initialReleases = initial;
    }

    public ResourceModelScoringFunction(LiveModelRegistry registry, List<ModelRelease> initialReleases,
            Duration stateTtl) {
        this(registry, initialReleases, stateTtl, DEFAULT_SCORE_INTERVAL, DEFAULT_SIGNAL_MAX_AGE);
    }

    private static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return duration;
    }

    /** The TTL every keyed state of this function is configured with. */
    public StateTtlConfig stateTtlConfig() {
        return StateTtlConfig.newBuilder(stateTtl).updateTtlOnCreateAndWrite().neverReturnExpired().build();
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = stateTtlConfig();
        MapStateDescriptor<String, SignalReading> readingsDescriptor = new MapStateDescriptor<>("signal-readings",
                Types.STRING, TypeInformation.of(SignalReading.class));
        readingsDescriptor.enableTimeToLive(ttl);
        ValueStateDescriptor<ScoringProgress> progressDescriptor = new ValueStateDescriptor<>("scoring-progress",
                TypeInformation.of(ScoringProgress.class));
        progressDescriptor.enableTimeToLive(ttl);
        readings = getRuntimeContext().getMapState(readingsDescriptor);
        progress = getRuntimeContext().getState(progressDescriptor);
        loaded = new HashMap<>();
        unloadableVersions = new HashSet<>();
        for (ModelRelease release : initialReleases.values()) {
            loaded.put(release.getModelName(), registry.load(release));
        }
        releaseSerde = AvroSerde.of(ModelRelease.class);
        reportsBroadcastEvents = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        var metrics = getRuntimeContext().getMetricGroup();
        snapshotsScored = metrics.counter("modelSnapshotsScored");
        modelAnomalies = metrics.counter("modelAnomalies");
        releasesApplied = metrics.counter("modelReleasesApplied");
        withdrawals = metrics.counter("modelWithdrawals");
        releasesIgnored = metrics.counter("modelReleasesIgnored");
        deadLetterCounters = new DeadLetters.Counters(metrics);
        if (!initialReleases.isEmpty() && reportsBroadcastEvents) {
            LOG.info("initial models: {}", describe(initialReleases.values()));
        }
    }

    @Override
    public void processElement(EnrichedPoint enriched, ReadOnlyContext ctx, Collector<Anomaly> out)
            throws Exception {
        TelemetryPoint point = enriched.getPoint();
        List<LiveModel> models = liveModelsFor(enriched, ctx);
        if (models.isEmpty() || !readBy(models, point.getMetric()) || !Double.isFinite(point.getValue())) {
            return;
        }
        long ts = point.getTimestampMillis();
        ScoringProgress current = progress.value();
        if (current != null && ts > current.pendingMillis && (current.scoredMillis == Long.MIN_VALUE
                || current.pendingMillis - current.scoredMillis >= scoreIntervalMillis)) {
            scoreSnapshot(enriched, current.pendingMillis, models, out);
            current.scoredMillis = current.pendingMillis;
        }
        record(point);
        if (current == null) {
            current = new ScoringProgress(ts, Long.MIN_VALUE);
        } else {
            current.pendingMillis = Math.max(current.pendingMillis, ts);
        }
        progress.update(current);
    }

    private void record(TelemetryPoint point) throws Exception {
        SignalReading previous = readings.get(point.getMetric());
        SignalValues.Reading next = SignalValues.next(previous == null ? null : previous.reading(),
                point.getTimestampMillis(), point.getValue(), SignalValues.isCumulativeCounter(point));
        if (next != null) { // else late or duplicate: the newer reading stays
            readings.put(point.getMetric(), SignalReading.of(next));
        }
    }

    private void scoreSnapshot(EnrichedPoint enriched, long snapshotMillis, List<LiveModel> models,
            Collector<Anomaly> out) throws Exception {
        Map<String, Double> values = new HashMap<>();
        for (Map.Entry<String, SignalReading> entry : readings.entries()) {
            SignalValues.Reading reading = entry.getValue().reading();
            if (SignalValues.inSnapshot(reading, snapshotMillis, signalMaxAgeMillis)) {
                values.put(entry.getKey(), reading.value());
            }
        }
        if (values.isEmpty()) {
            return;
        }
        snapshotsScored.inc();
        for (LiveModel model : models) {
            Optional<LiveModel.Finding> finding = model.evaluate(values);
            if (finding.isPresent()) {
                modelAnomalies.inc();
                out.collect(anomaly(enriched, snapshotMillis, model, finding.get()));
            }
        }
    }

    private Anomaly anomaly(EnrichedPoint enriched, long snapshotMillis, LiveModel model, LiveModel.Finding finding) {
        String resourceId = enriched.getPoint().getResource().getId();
        String detector = DETECTOR_PREFIX + model.name();
        String seriesKey = resourceId + "|" + detector;
        Map<String, String> attributes = new HashMap<>();
        attributes.put(FAMILY_ATTRIBUTE, familyOf(model.name()));
        return Anomaly.newBuilder()
                .setAnomalyId(Anomalies.anomalyId(seriesKey, snapshotMillis, detector))
                .setResource(enriched.getPoint().getResource())
                .setContext(enriched.getContext())
                .setSeriesKey(seriesKey)
                .setMetric(finding.metric())
                .setAttributes(attributes)
                .setTimestampMillis(snapshotMillis)
                .setObserved(finding.observed())
                .setExpected(finding.expected())
                .setLower(finding.lower())
                .setUpper(finding.upper())
                .setScore(Math.max(0.0, Math.min(1.0, finding.score())))
                .setDetector(detector)
                .setModelVersion(model.version())
                .setReason(finding.reason())
                .build();
    }

    private static String familyOf(String modelName) {
        int slash = modelName.indexOf('/');
        return slash < 0 ? modelName : modelName.substring(0, slash);
    }

    private static boolean readBy(List<LiveModel> models, String metric) {
        for (LiveModel model : models) {
            if (model.signals().contains(metric)) {
                return true;
            }
        }
        return false;
    }

    /** For each registered family, its first live candidate for the resource's kind. */
    private List<LiveModel> liveModelsFor(EnrichedPoint enriched, ReadOnlyContext ctx) throws Exception {
        ReadOnlyBroadcastState<String, ModelRelease> releases = ctx.getBroadcastState(RELEASES);
        ReadOnlyBroadcastState<String, Long> withdrawn = ctx.getBroadcastState(WITHDRAWN);
        List<LiveModel> models = new ArrayList<>(1);
        for (LiveModelFamily family : registry.families()) {
            for (String name : family.candidateNames(enriched.getPoint().getResource().getKind())) {
                LiveModel model = withdrawn.contains(name) ? null : live(name, releases.get(name));
                if (model != null) {
                    models.add(model);
                    break;
                }
            }
        }
        return models;
    }

    private LiveModel live(String name, ModelRelease release) {
        if (release == null) {
            return initialReleases.containsKey(name) ? loaded.get(name) : null;
        }
        LiveModel cached = loaded.get(name);
        if (cached != null && cached.version().equals(release.getVersion())) {
            return cached;
        }
        // Only after a restore: releases are loaded when they arrive. One attempt per version, not per point.
        String key = name + "@" + release.getVersion();
        if (unloadableVersions.contains(key)) {
            return null;
        }
        try {
            LiveModel model = registry.load(release);
            loaded.put(name, model);
            return model;
        } catch (RuntimeException e) {
            unloadableVersions.add(key);
            deadLetterCounters.inc(UNLOADABLE_MODEL);
            LOG.warn("restored model {} version {} cannot be loaded, it scores nothing: {}", name,
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
        BroadcastState<String, ModelRelease> releases = ctx.getBroadcastState(RELEASES);
        BroadcastState<String, Long> withdrawn = ctx.getBroadcastState(WITHDRAWN);
        if (read.isWithdrawal()) {
            releases.remove(name);
            loaded.remove(name);
            withdrawn.put(name, record.timestamp);
            if (reportsBroadcastEvents) {
                withdrawals.inc();
                LOG.info("model {} withdrawn", name);
            }
            return;
        }
        ModelRelease release = read.release();
        if (registry.family(release.getFamily()).isEmpty()) {
            if (reportsBroadcastEvents) {
                releasesIgnored.inc();
                LOG.info("model {} version {} is of family {}, not scored here", name, release.getVersion(),
                        release.getFamily());
            }
            return;
        }
        LiveModel model;
        try {
            model = registry.load(release);
        } catch (RuntimeException e) {
            reject(ctx, record, UNLOADABLE_MODEL, e.getMessage() + " (the previous version stays live)");
            return;
        }
        ModelRelease previous = releases.get(name);
        releases.put(name, release);
        withdrawn.remove(name);
        loaded.put(name, model);
        unloadableVersions.removeIf(key -> key.startsWith(name + "@"));
        if (reportsBroadcastEvents) {
            releasesApplied.inc();
            LOG.info("model {} version {} live (was {}), {} signals", name, release.getVersion(),
                    previous != null ? previous.getVersion() : initialReleases.containsKey(name)
                            ? initialReleases.get(name).getVersion() + " from the models directory" : "none",
                    release.getSignals().size());
        }
    }

    private void reject(Context ctx, KafkaRecord record, String reason, String detail) {
        if (!reportsBroadcastEvents) {
            return;
        }
        deadLetterCounters.inc(reason);
        LOG.warn("model release {} rejected ({}): {}", record, reason, detail);
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, detail, record,
                ctx.currentProcessingTime()));
    }

    private static String describe(Iterable<ModelRelease> releases) {
        List<String> described = new ArrayList<>();
        for (ModelRelease release : releases) {
            described.add(release.getModelName() + "@" + release.getVersion());
        }
        return String.join(", ", described);
    }
}
