/**
 * Failure forecasts for resources that run out (disk, memory, connection pool): the streaming trend line of
 * {@code ExhaustionForecaster}; the Tribuo models {@code FailureForecastModel} ("fails within the horizon") and
 * {@code TimeToExhaustionModel} over {@code TrendFeatures}; their training ({@code TrainForecast}) from recorded
 * telemetry or the seeded {@code ExhaustionScenarios}; and the evaluation that measures the lead time.
 */
package io.autonomic.models.forecast;
