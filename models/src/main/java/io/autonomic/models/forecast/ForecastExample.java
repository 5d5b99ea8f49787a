package io.autonomic.models.forecast;

/**
 * One training row of the forecasts: the {@link io.autonomic.models.features.TrendFeatures} of a series after one
 * point, whether an exhaustion started within the horizon after it, and the seconds until the next exhaustion
 * ({@code NaN} when none follows).
 */
public record ForecastExample(String series, long timestampMillis, double[] features, boolean failsWithinHorizon,
        double secondsToExhaustion) {
}
