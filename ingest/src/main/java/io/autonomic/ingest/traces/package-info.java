/**
 * OTLP traces: spans decoded into {@link io.autonomic.ingest.traces.SpanSample}s, RED points per service and per
 * caller-to-callee edge over event-time windows, and the observed service dependency graph on the compacted
 * service-edges topic. {@link io.autonomic.ingest.traces.TracesIngest#build} wires it.
 */
package io.autonomic.ingest.traces;
