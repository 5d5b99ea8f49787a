/**
 * JMH benchmarks of the per-series detector: update cost per point and the bytes of its state as Flink serializes
 * it. Run them with the command in docs/detection.md; figures are reported there with the machine, never asserted.
 */
package io.autonomic.detect.bench;
