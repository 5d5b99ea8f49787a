package io.autonomic.detect.threat;

import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by service ({@link #KEY}), over the per-source request counts ({@value #METRIC_BY_SOURCE}, from ingest's
 * SourceRequestCounts, enriched with threat context): sums each window's counts over the service's instances,
 * compares the window's request rate with an EWMA baseline, and when the rate reaches {@code surgeFactor} times the
 * baseline emits one {@link Anomaly} (detector {@value #DETECTOR}, metric {@value #METRIC_RATE}) whose attribute
 * {@value #VERDICT_ATTRIBUTE} says {@code possible-ddos} or {@code flash-crowd} ({@link SurgeClassifier}), with the
 * top sources and the evidence in {@code reason} and in {@code threat.*} attributes.
 *
 * <p>Event time: a window is judged when the watermark passes its end (all of a window's counts carry its end as
 * timestamp). Surge windows are not folded into the baseline, so a long attack does not become the new normal. A
 * window of a point arriving after its window was judged is dropped and counted ({@value #LATE_POINTS}). A service
 * without points for {@code idleExpiry} loses its baseline and all state.
 */
public final class SourceSurgeFunction extends KeyedProcessFunction<String, EnrichedPoint, Anomaly>
        implements ResultTypeQueryable<Anomaly> {

    private static final long serialVersionUID = 1L;

    public static final String METRIC_BY_SOURCE = "http.server.request.count.by_source";
    public static final String METRIC_RATE = "http.server.request.rate";
    /** {@code threat:} marks it as a threat detector in the incident signature the diagnosis classifier reads. */
    public static final String DETECTOR = "threat:source-surge";
    public static final String VERDICT_ATTRIBUTE = "threat.verdict";
    public static final String NETWORK_ATTRIBUTE = "client.network";
    /** On a possible DDoS: the network a block would target (the ddos-surge playbook's {@code cidr}). */
    public static final String SOURCE_NETWORK_ATTRIBUTE = "threat.source_network";
    public static final String USER_AGENT_CLASS_ATTRIBUTE = "user_agent.class";
    public static final String LATE_POINTS = "lateSourceCounts";
    public static final String SURGES = "sourceSurges";

    /** The service of a by-source point: the topology's name if enrich found one, else the resource's. */
    public static final KeySelector<EnrichedPoint, String> KEY = point -> {
        String service = point.getContext() == null ? null : point.getContext().getService();
        if (service == null) {
            service = point.getPoint().getResource().getService();
        }
        return service == null ? point.getPoint().getResource().getId() : service;
    };

    /** The EWMA baseline of a service's request rate. */
    public static final class Baseline {
        public double rate;
        public int windows;
        public long lastWindowEnd;

        public Baseline() {
        }
    }

    private final SourceSurgeSettings settings;
    private transient MapState<Long, SourceWindow> windows;
    private transient ValueState<Baseline> baseline;
    private transient SurgeClassifier classifier;
    private transient Counter late;
    private transient Counter surges;

    public SourceSurgeFunction(SourceSurgeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Whether a point is a per-source count this function reads. */
    public static boolean isBySourceCount(EnrichedPoint point) {
        return METRIC_BY_SOURCE.equals(point.getPoint().getMetric());
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("source-windows", Types.LONG,
                TypeInformation.of(SourceWindow.class)));
        baseline = getRuntimeContext().getState(new ValueStateDescriptor<>("source-baseline",
                TypeInformation.of(Baseline.class)));
        classifier = new SurgeClassifier(settings);
        late = getRuntimeContext().getMetricGroup().counter(LATE_POINTS);
        surges = getRuntimeContext().getMetricGroup().counter(SURGES);
    }

    @Override
    public void processElement(EnrichedPoint point, Context ctx, Collector<Anomaly> out) throws Exception {
        if (!isBySourceCount(point)) {
            return;
        }
        long end = point.getPoint().getTimestampMillis();
        if (end <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        SourceWindow window = windows.get(end);
        if (window == null) {
            window = new SourceWindow();
            ctx.timerService().registerEventTimeTimer(end);
        }
        window.add(point);
        windows.put(end, window);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        SourceWindow window = windows.get(timestamp);
        Baseline current = baseline.value();
        if (window == null) {
            // The idle-expiry timer: clear everything if no window came since it was set.
            if (current != null && timestamp >= current.lastWindowEnd + settings.idleExpiry().toMillis()
                    && windows.isEmpty()) {
                baseline.clear();
                windows.clear();
            }
            return;
        }
        windows.remove(timestamp);
        if (current == null) {
            current = new Baseline();
        }
        long lengthMillis = window.start > 0 && window.start < window.end ? window.end - window.start : 0;
        if (lengthMillis > 0 && window.requests > 0) {
            double rate = window.requests * 1000.0 / lengthMillis;
            boolean warm = current.windows >= settings.warmupWindows();
            double expected = Math.max(current.rate, 1e-9);
            boolean surge = warm && rate >= settings.minRequestRate() && rate >= settings.surgeFactor() * expected;
            if (surge) {
                surges.inc();
                out.collect(anomaly(window, rate, current.rate));
            } else {
                current.rate = current.windows == 0 ? rate
                        : settings.baselineAlpha() * rate + (1 - settings.baselineAlpha()) * current.rate;
                current.windows++;
            }
        }
        current.lastWindowEnd = timestamp;
        baseline.update(current);
        ctx.timerService().registerEventTimeTimer(timestamp + settings.idleExpiry().toMillis());
    }

    private Anomaly anomaly(SourceWindow window, double rate, double expected) {
        SurgeClassifier.Verdict verdict = classifier.classify(window);
        EnrichedPoint busiest = window.busiest;
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(VERDICT_ATTRIBUTE, verdict.verdict());
        attributes.put("threat.top_sources", String.join(" | ", verdict.topSources()));
        attributes.put("threat.suspicious_share", format(verdict.suspiciousShare()));
        attributes.put("threat.non_standard_agent_share", format(verdict.nonStandardAgentShare()));
        attributes.put("threat.top_networks_share", format(verdict.topNetworksShare()));
        attributes.put("threat.networks", String.valueOf(verdict.networks()));
        if (verdict.sourceNetwork() != null) {
            attributes.put(SOURCE_NETWORK_ATTRIBUTE, verdict.sourceNetwork());
        }
        if (verdict.topAsn() != null) {
            attributes.put("threat.top_asn", verdict.topAsn() + " " + format(verdict.topAsnShare()));
        }
        if (verdict.topCountry() != null) {
            attributes.put("threat.top_country", verdict.topCountry() + " " + format(verdict.topCountryShare()));
        }
        double ratio = expected > 0 ? rate / expected : Double.POSITIVE_INFINITY;
        String service = serviceOf(busiest);
        String reason = String.format(Locale.ROOT, "%s: request rate %.1f/s is %.1fx the baseline %.1f/s; %s: %s; "
                        + "top sources: %s", verdict.verdict(), rate, ratio, expected,
                verdict.ddos() ? "concentrated or suspicious" : "spread and clean", verdict.why(),
                String.join(" | ", verdict.topSources()));
        return Anomaly.newBuilder()
                .setAnomalyId(DETECTOR + ":" + service + ":" + window.end)
                .setResource(busiest.getPoint().getResource())
                .setContext(busiest.getContext())
                .setSeriesKey(busiest.getPoint().getResource().getId() + "|" + METRIC_RATE)
                .setMetric(METRIC_RATE)
                .setAttributes(attributes)
                .setTimestampMillis(window.end)
                .setObserved(rate)
                .setExpected(expected)
                .setLower(0.0)
                .setUpper(expected * settings.surgeFactor())
                .setScore(Math.max(0.0, Math.min(1.0, 1.0 - expected / rate)))
                .setDetector(DETECTOR)
                .setReason(reason)
                .build();
    }

    private static String serviceOf(EnrichedPoint point) throws RuntimeException {
        try {
            return KEY.getKey(point);
        } catch (Exception e) {
            return point.getPoint().getResource().getId();
        }
    }

    private static String format(double share) {
        return String.format(Locale.ROOT, "%.2f", share);
    }

    @Override
    public TypeInformation<Anomaly> getProducedType() {
        return TypeInformation.of(Anomaly.class);
    }
}
