/**
 * Cloud provider events (EventBridge JSON: CloudWatch alarm state changes, AWS Config compliance changes)
 * normalized into the same {@link io.autonomic.schemas.avro.TelemetryPoint}s as OTLP metrics, so an alarm or a
 * configuration drift reaches detection like any other signal.
 */
package io.autonomic.ingest.cloud;
