/**
 * The enrich stage: the declared topology (a YAML file, validated by {@link io.autonomic.enrich.TopologyFile} and
 * published to the compacted topology topic by {@link io.autonomic.enrich.TopologyPublisher}) is held in Flink
 * broadcast state, and every telemetry point leaves this stage with the {@code TopologyContext} of its service, or
 * marked "no context" when its service is not declared. Topology changes apply to the next point without a restart.
 */
package io.autonomic.enrich;
