/**
 * Diagnosis: what kind of incident this is, learned from the signatures of past incidents. {@link
 * io.autonomic.models.diagnosis.IncidentSignature} is the one feature path for training and live scoring; {@link
 * io.autonomic.models.diagnosis.SeedHistory} generates the shipped incident history from the seed failure families;
 * {@link io.autonomic.models.diagnosis.DiagnosisModel} is the Tribuo classifier and its release; {@link
 * io.autonomic.models.diagnosis.TrainDiagnosis} is {@code autonomic train --diagnosis}.
 */
package io.autonomic.models.diagnosis;
