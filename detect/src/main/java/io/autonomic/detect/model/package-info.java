/**
 * Tribuo models in the stream: {@link io.autonomic.detect.model.ResourceModelScoringFunction} scores each resource
 * with the live model of its kind and swaps models published on the models topic without a restart; model families
 * plug in through {@link io.autonomic.detect.model.LiveModelFamily} and {@link io.autonomic.detect.model.LiveModelRegistry}.
 */
package io.autonomic.detect.model;
