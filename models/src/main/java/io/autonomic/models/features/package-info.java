/** Turning one resource's latest signals into a model input: the only place this happens, for training and scoring. */
package io.autonomic.models.features;
