/**
 * The front door of the pipeline: OTLP metrics in, normalized {@code TelemetryPoint}s out. {@link
 * io.autonomic.ingest.OtlpHttpReceiver} accepts OTLP/HTTP exports and stores the original protobuf requests on the
 * otlp_metrics topic (the same bytes the OpenTelemetry Collector's Kafka exporter writes); {@link
 * io.autonomic.ingest.IngestJob} decodes them with {@link io.autonomic.ingest.OtlpMetricsDecoder}, names each
 * resource with {@link io.autonomic.ingest.ResourceIdentity}, and writes points keyed by resource id, sending
 * whatever it cannot use to the dead-letter topic with the original bytes.
 */
package io.autonomic.ingest;
