/**
 * Turning telemetry into model inputs: the only place this happens, for training and scoring. {@code
 * FeatureExtractor}: one resource's latest signals; {@code TrendFeatures}: the window features of one gauge's
 * history ({@code TrendState}) for the failure forecasts.
 */
package io.autonomic.models.features;
