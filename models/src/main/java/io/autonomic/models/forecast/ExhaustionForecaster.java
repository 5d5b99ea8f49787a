package io.autonomic.models.forecast;

import java.io.Serializable;
import java.time.Duration;

/**
 * Time to exhaustion of a utilization series (a fraction of capacity: disk, memory, pool) from an exponentially
 * weighted least-squares line over recent points. It fires when the line reaches {@code capacity} within the
 * horizon, the rise is steady (the fit explains most of the variance) and enough points were seen.
 *
 * <p>Why a weighted trend line rather than the last two points: a disk fills in steps (buffered writes), memory in a
 * sawtooth (garbage collection); the fit looks through both. Why the fit-quality gate: a flat, noisy series has a
 * slope of either sign at any moment, and an on-call engineer must not be paged for noise.
 */
public final class ExhaustionForecaster implements Serializable {

    /** The forecast after one point. {@code timeToExhaustion} is null when no exhaustion is in sight. */
    public record Forecast(boolean fires, Duration timeToExhaustion, double slopePerSecond, double fitQuality) {
    }

    private final double capacity;
    private final Duration horizon;
    private final double alpha;
    private final int minPoints;
    private final double minFitQuality;

    /**
     * @param capacity the utilization at which the resource is exhausted (1.0 for a fraction)
     * @param horizon how far ahead an exhaustion triggers the forecast
     * @param alpha weight of the newest point in the fit (0.01: about the last 200 points matter)
     * @param minPoints points before any forecast
     * @param minFitQuality R² the line must reach before it is trusted
     */
    public ExhaustionForecaster(double capacity, Duration horizon, double alpha, int minPoints,
            double minFitQuality) {
        if (!(capacity > 0)) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("horizon must be positive");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be within (0, 1)");
        }
        if (minPoints < 3) {
            throw new IllegalArgumentException("minPoints must be at least 3");
        }
        if (!(minFitQuality >= 0 && minFitQuality <= 1)) {
            throw new IllegalArgumentException("minFitQuality must be within [0, 1]");
        }
        this.capacity = capacity;
        this.horizon = horizon;
        this.alpha = alpha;
        this.minPoints = minPoints;
        this.minFitQuality = minFitQuality;
    }

    public double capacity() {
        return capacity;
    }

    public Duration horizon() {
        return horizon;
    }

    /**
     * Capacity 1.0, 30 minute horizon, alpha 0.01 (about 200 points in the fit: long enough to see through a GC
     * sawtooth and write bursts), 60 points, R² 0.6; chosen on {@link ExhaustionScenarios}.
     */
    public static ExhaustionForecaster defaults() {
        return new ExhaustionForecaster(1.0, Duration.ofMinutes(30), 0.01, 60, 0.6);
    }

    /**
     * Learns {@code utilization} at {@code timestampMillis}, then forecasts. Out-of-order and non-finite points are
     * ignored.
     */
    public Forecast update(ExhaustionState state, long timestampMillis, double utilization) {
        if (!Double.isFinite(utilization) || state.count > 0 && timestampMillis <= state.lastMillis) {
            return new Forecast(false, null, 0, 0);
        }
        if (state.count == 0) {
            state.originMillis = timestampMillis;
        }
        double t = (timestampMillis - state.originMillis) / 1000.0;
        double w = state.count == 0 ? 1.0 : Math.max(alpha, 1.0 / (state.count + 1));
        state.meanT += w * (t - state.meanT);
        state.meanY += w * (utilization - state.meanY);
        state.meanTT += w * (t * t - state.meanTT);
        state.meanTY += w * (t * utilization - state.meanTY);
        state.meanYY += w * (utilization * utilization - state.meanYY);
        state.count++;
        state.lastMillis = timestampMillis;
        double varT = state.meanTT - state.meanT * state.meanT;
        double varY = state.meanYY - state.meanY * state.meanY;
        double cov = state.meanTY - state.meanT * state.meanY;
        if (state.count < minPoints || varT <= 0) {
            return new Forecast(false, null, 0, 0);
        }
        double slope = cov / varT;
        double fitQuality = varY <= 1e-12 ? 0 : Math.min(1, cov * cov / (varT * varY));
        if (!(slope > 0)) {
            return new Forecast(false, null, slope, fitQuality);
        }
        double fittedNow = state.meanY + slope * (t - state.meanT);
        double seconds = Math.max(0, (capacity - fittedNow) / slope);
        Duration eta = Duration.ofMillis((long) Math.min(Long.MAX_VALUE / 2.0, seconds * 1000));
        boolean fires = fitQuality >= minFitQuality && eta.compareTo(horizon) <= 0;
        return new Forecast(fires, eta, slope, fitQuality);
    }
}
