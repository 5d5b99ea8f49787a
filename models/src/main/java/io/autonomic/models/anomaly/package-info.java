/**
 * Multivariate anomaly models per resource kind (Tribuo one-class SVM over the resource's signals), their files
 * with provenance, and the {@link io.autonomic.models.anomaly.Train} entry point.
 */
package io.autonomic.models.anomaly;
