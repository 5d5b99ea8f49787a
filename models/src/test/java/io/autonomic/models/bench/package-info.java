/**
 * JMH benchmarks of Tribuo scoring through the shared feature path: one-class SVM and a 10-tree random forest, per
 * prediction. Figures go to docs/detection.md with the machine; never asserted.
 */
package io.autonomic.models.bench;
