package io.autonomic.models.diagnosis;

import java.util.Map;

/**
 * What the classifier makes of a signature.
 *
 * @param incidentType the most probable type
 * @param probability its probability, in [0, 1]; 0 when the signature had no token the model knows
 * @param alternatives every other type with a non-zero probability, most probable first
 * @param knownTokens how many of the signature's tokens the model was trained on
 */
public record DiagnosisPrediction(String incidentType, double probability, Map<String, Double> alternatives,
        int knownTokens) {

    public DiagnosisPrediction {
        alternatives = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(alternatives));
    }
}
