package io.autonomic.detect.scoring;

import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.models.forecast.ExhaustionForecaster;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How detect builds and reads {@link Anomaly} records: detector names, the attribute keys it adds, and
 * deterministic ids so a replay after a restore yields the same anomaly ids.
 */
public final class Anomalies {

    public static final String EWMA_DETECTOR = "ewma-zscore";
    public static final String LEVEL_SHIFT_DETECTOR = "level-shift";
    public static final String VARIANCE_DETECTOR = "variance-change";
    public static final String TREND_DETECTOR = "trend-change";
    public static final String EXHAUSTION_DETECTOR = "exhaustion-forecast";
    public static final String RULE_DETECTOR_PREFIX = "rule:";
    /** Anomaly attribute holding a rule's incident type; added to a copy of the point attributes. */
    public static final String INCIDENT_TYPE_ATTRIBUTE = "autonomic.incident_type";
    /** Anomaly attribute naming the rule that fired. */
    public static final String RULE_ATTRIBUTE = "autonomic.rule";
    public static final String MODEL_VERSION = "builtin";

    private Anomalies() {
    }

    /** {@code UUID.nameUUIDFromBytes(seriesKey|timestamp|detector)}. */
    public static String anomalyId(String seriesKey, long timestampMillis, String detector) {
        return UUID.nameUUIDFromBytes((seriesKey + "|" + timestampMillis + "|" + detector)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static boolean isRule(Anomaly anomaly) {
        return anomaly.getDetector().startsWith(RULE_DETECTOR_PREFIX);
    }

    /** The incident type a rule anomaly carries; empty for learned anomalies. */
    public static Optional<String> incidentType(Anomaly anomaly) {
        return Optional.ofNullable(anomaly.getAttributes().get(INCIDENT_TYPE_ATTRIBUTE));
    }

    /**
     * A rule firing. Its score reflects how far past the threshold the value is, from 0.5 (just past: a rule is an
     * explicit statement that this is abnormal) towards 1.
     */
    public static Anomaly fromRule(EnrichedPoint enriched, ThresholdRule rule, long heldSinceMillis) {
        TelemetryPoint point = enriched.getPoint();
        double value = point.getValue();
        double threshold = rule.threshold();
        double relativeExcess = Math.abs(value - threshold) / Math.max(Math.abs(threshold), 1e-9);
        double score = 0.5 + 0.5 * (1 - Math.exp(-relativeExcess));
        boolean above = rule.above() != null;
        Map<String, String> attributes = new HashMap<>(point.getAttributes());
        attributes.put(INCIDENT_TYPE_ATTRIBUTE, rule.incidentType());
        attributes.put(RULE_ATTRIBUTE, rule.name());
        String detector = RULE_DETECTOR_PREFIX + rule.name();
        long heldMillis = point.getTimestampMillis() - heldSinceMillis;
        return base(enriched, detector, attributes)
                .setObserved(value)
                .setExpected(threshold)
                .setLower(above ? Double.NEGATIVE_INFINITY : threshold)
                .setUpper(above ? threshold : Double.POSITIVE_INFINITY)
                .setScore(Math.min(1.0, score))
                .setReason(String.format(Locale.ROOT, "%s=%s %s %s for %s (rule %s, incidentType=%s)",
                        point.getMetric(), value, rule.comparison(), threshold, seconds(heldMillis),
                        rule.name(), rule.incidentType()))
                .build();
    }

    /**
     * A learned-baseline anomaly, named after the detector of the ensemble that fired; {@code observed} is the rate
     * when the series is a cumulative counter.
     */
    public static Anomaly fromEwma(EnrichedPoint enriched, EwmaScore score, double observed, boolean rate) {
        TelemetryPoint point = enriched.getPoint();
        String what = switch (score.detector()) {
            case LEVEL_SHIFT_DETECTOR -> "has shifted: a run of points";
            case VARIANCE_DETECTOR -> "varies far more than usual; now";
            case TREND_DETECTOR -> "is drifting: its level strays from the slow baseline;";
            default -> "is";
        };
        return base(enriched, score.detector(), new HashMap<>(point.getAttributes()))
                .setObserved(observed)
                .setExpected(score.expected())
                .setLower(score.lower())
                .setUpper(score.upper())
                .setScore(score.score())
                .setReason(String.format(Locale.ROOT,
                        "%s%s=%.4g %s %+.1f scales from baseline %.4g (band %.4g..%.4g, %s)",
                        point.getMetric(), rate ? " rate/s" : "", observed, what, score.z(), score.expected(),
                        score.lower(), score.upper(), score.detector()))
                .build();
    }

    /**
     * A utilization series forecast to reach capacity within the horizon. The score grows as the time left shrinks:
     * {@code 1 - timeLeft / horizon}, floored just above 0.
     */
    public static Anomaly fromForecast(EnrichedPoint enriched, ExhaustionForecaster.Forecast forecast,
            double capacity, java.time.Duration horizon) {
        TelemetryPoint point = enriched.getPoint();
        double left = forecast.timeToExhaustion().toMillis() / (double) horizon.toMillis();
        double score = Math.min(1.0, Math.max(Double.MIN_NORMAL, 1 - left));
        return base(enriched, EXHAUSTION_DETECTOR, new HashMap<>(point.getAttributes()))
                .setObserved(point.getValue())
                .setExpected(capacity)
                .setLower(Double.NEGATIVE_INFINITY)
                .setUpper(capacity)
                .setScore(score)
                .setReason(String.format(Locale.ROOT, "%s=%.4g reaches %.4g in %s at %+.3g/min (trend fit R²=%.2f)",
                        point.getMetric(), point.getValue(), capacity, seconds(forecast.timeToExhaustion().toMillis()),
                        forecast.slopePerSecond() * 60, forecast.fitQuality()))
                .build();
    }

    private static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }

    private static Anomaly.Builder base(EnrichedPoint enriched, String detector, Map<String, String> attributes) {
        TelemetryPoint point = enriched.getPoint();
        return Anomaly.newBuilder()
                .setAnomalyId(anomalyId(point.getSeriesKey(), point.getTimestampMillis(), detector))
                .setResource(point.getResource())
                .setContext(enriched.getContext())
                .setSeriesKey(point.getSeriesKey())
                .setMetric(point.getMetric())
                .setAttributes(attributes)
                .setTimestampMillis(point.getTimestampMillis())
                .setDetector(detector)
                .setModelVersion(MODEL_VERSION);
    }
}
