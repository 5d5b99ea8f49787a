/**
 * Recorded telemetry as training data: per-series histories and per-resource snapshots read from a file or from a
 * topic of the pipeline, for {@code TrainForecast} and the anomaly {@code Train}.
 */
package io.autonomic.models.training;
