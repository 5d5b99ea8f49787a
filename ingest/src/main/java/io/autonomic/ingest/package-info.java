/**
 * The front door of the pipeline: OpenTelemetry and cloud events in, normalized {@code TelemetryPoint}s out.
 * {@link io.autonomic.ingest.OtlpHttpReceiver} accepts OTLP/HTTP (protobuf or JSON, gzip) and optionally OTLP/gRPC
 * exports of metrics, traces and logs, and EventBridge events, and stores them on their topics in each topic's
 * {@link io.autonomic.ingest.OtlpEncoding} (the bytes the OpenTelemetry Collector's Kafka exporter writes);
 * {@link io.autonomic.ingest.IngestJob} decodes metrics with {@link io.autonomic.ingest.OtlpMetricsDecoder}
 * (percentiles from buckets by {@link io.autonomic.ingest.BucketPercentiles}), turns monotonic counters into rates
 * with {@link io.autonomic.ingest.CounterRateFunction}, normalizes cloud events ({@code io.autonomic.ingest.cloud}),
 * names each resource with {@link io.autonomic.ingest.ResourceIdentity}, and writes points keyed by resource id,
 * sending whatever it cannot use to the dead-letter topic with the original bytes. See docs/ingest.md.
 */
package io.autonomic.ingest;
