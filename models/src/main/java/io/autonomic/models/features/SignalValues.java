package io.autonomic.models.features;

import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.time.Duration;

/**
 * What a resource model reads of a signal: the point's value for a gauge (or any other point), the per-second rate
 * since the previous reading for a cumulative monotonic counter, whose raw value only ever grows and drops to zero
 * when the process restarts. The one place this is decided, for the live scoring in detect and for the training
 * snapshots of a {@link io.autonomic.models.training.TelemetryRecording}, so a model is trained on the values it is
 * later scored on.
 *
 * <p>Readings are per signal and resource. A reading not newer than the previous one is late or a duplicate and is
 * ignored (the newer one stays the reference). A counter's first reading, and a reading lower than the previous one
 * (a reset after a restart), has no rate: the signal is absent from the snapshot until the next reading, which gets
 * its rate against this one.
 */
public final class SignalValues {

    /**
     * How long a signal's latest reading stays in its resource's snapshot: older readings are left out (a model
     * reads an absent signal as typical), so a metric that stopped reporting does not freeze into every later
     * snapshot. The live job's default; training uses the same.
     */
    public static final Duration DEFAULT_SIGNAL_MAX_AGE = Duration.ofMinutes(1);

    /**
     * One reading of a signal.
     *
     * @param raw the point's value, kept to compute the next rate
     * @param value what models read: {@code raw}, or for a counter its per-second rate (meaningful only if
     *     {@code hasValue})
     */
    public record Reading(long timestampMillis, double raw, double value, boolean hasValue) {
    }

    private SignalValues() {
    }

    /** Whether the point is a monotonic cumulative sum, read as a per-second rate. */
    public static boolean isCumulativeCounter(TelemetryPoint point) {
        return isCumulativeCounter(point.getType(), point.getTemporality(), point.getMonotonic());
    }

    /** Whether a point of this type, temporality and monotonicity is read as a per-second rate. */
    public static boolean isCumulativeCounter(MetricType type, Temporality temporality, boolean monotonic) {
        return type == MetricType.SUM && temporality == Temporality.CUMULATIVE && monotonic;
    }

    /**
     * The reading a point makes after {@code previous}, or {@code null} when it is not newer than {@code previous}
     * (late or duplicate: ignore it, keep {@code previous}).
     *
     * @param previous the signal's previous reading, {@code null} for its first
     */
    public static Reading next(Reading previous, long timestampMillis, double raw, boolean counter) {
        if (previous != null && timestampMillis <= previous.timestampMillis()) {
            return null;
        }
        if (!counter) {
            return new Reading(timestampMillis, raw, raw, true);
        }
        double rate = previous == null ? Double.NaN
                : rate(previous.timestampMillis(), previous.raw(), timestampMillis, raw);
        return Double.isNaN(rate) ? new Reading(timestampMillis, raw, 0.0, false)
                : new Reading(timestampMillis, raw, rate, true);
    }

    /**
     * The per-second rate of a counter between two readings, {@code NaN} when there is none: the later reading is
     * not later, or is lower (a reset).
     */
    public static double rate(long previousMillis, double previousRaw, long millis, double raw) {
        if (millis <= previousMillis || raw < previousRaw) {
            return Double.NaN;
        }
        return (raw - previousRaw) * 1000.0 / (millis - previousMillis);
    }

    /** Whether {@code reading} belongs in a snapshot taken at {@code snapshotMillis}. */
    public static boolean inSnapshot(Reading reading, long snapshotMillis, long maxAgeMillis) {
        return reading.hasValue() && reading.timestampMillis() <= snapshotMillis
                && snapshotMillis - reading.timestampMillis() <= maxAgeMillis;
    }
}
