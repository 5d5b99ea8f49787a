/**
 * Per-series scoring: every enriched point passes the threshold rules and a learned EWMA z-score baseline
 * ({@link io.autonomic.detect.scoring.EwmaZScoreDetector}) in
 * {@link io.autonomic.detect.scoring.SeriesScoringFunction}, and leaves as a
 * {@link io.autonomic.detect.scoring.ScoredPoint} carrying the anomalies it raised, so the incident stage sees healthy
 * points as well as abnormal ones.
 */
package io.autonomic.detect.scoring;
