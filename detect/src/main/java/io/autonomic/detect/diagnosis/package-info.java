/**
 * Diagnosis with the learned classifier: {@link io.autonomic.detect.diagnosis.ClassifierDiagnoser} names an
 * incident's type from its signature (models' {@code DiagnosisModel}), with rule-backed evidence on the diagnosed
 * resource still deciding first. See docs/diagnosis.md.
 */
package io.autonomic.detect.diagnosis;
