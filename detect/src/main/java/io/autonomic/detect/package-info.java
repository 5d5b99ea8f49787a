/**
 * The detect job: enriched points in, anomalies, incidents, remediation commands and resource health out.
 * {@link io.autonomic.detect.DetectJob} only wires Kafka and the functions of the
 * {@link io.autonomic.detect.scoring scoring} and {@link io.autonomic.detect.incident incident} packages, configured
 * by {@link io.autonomic.detect.config.DetectConfig}.
 */
package io.autonomic.detect;
