/**
 * Models detect uses beside its per-series baselines, and the one feature code path shared by training and live
 * scoring ({@link io.autonomic.models.features.FeatureExtractor}), so there is no train/serve skew.
 */
package io.autonomic.models;
