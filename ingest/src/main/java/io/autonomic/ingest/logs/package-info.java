/**
 * OTLP logs: decoding {@code ExportLogsServiceRequest}s into {@code LogEvent}s, the online Drain template miner
 * ({@link io.autonomic.ingest.logs.DrainMiner}) kept per service in Flink keyed state, recognized failure patterns,
 * and per-window counts as telemetry points. {@link io.autonomic.ingest.logs.LogsIngest#build} wires it.
 */
package io.autonomic.ingest.logs;
