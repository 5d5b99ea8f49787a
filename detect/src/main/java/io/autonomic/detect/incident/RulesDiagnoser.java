package io.autonomic.detect.incident;

import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Diagnoses from threshold-rule evidence: the incident type is the one most rule anomalies carry (ties: the higher
 * score, then the earlier one). Learned anomalies alone only say "something changed", not what: they give type
 * {@value Diagnoser#UNKNOWN} with a confidence too low for any playbook, because acting on them would restart
 * healthy services on a false alarm. When the evidence spans several resources (a correlated incident), rules that
 * fired on the diagnosed resource itself decide; rules on its dependents count only when none fired on it, since a
 * failing database makes its callers' error-ratio rules fire too.
 */
public final class RulesDiagnoser implements Diagnoser {

    public static final String NAME = "rules";
    public static final double RULE_CONFIDENCE = 0.9;
    public static final double LEARNED_CONFIDENCE = 0.3;

    @Override
    public Diagnosis diagnose(Resource resource, List<Anomaly> evidence) {
        Map<String, TypeEvidence> byType = new LinkedHashMap<>();
        Set<String> learnedMetrics = new LinkedHashSet<>();
        boolean ownRules = evidence.stream().anyMatch(a -> isTypedRule(a) && isOn(a, resource));
        for (Anomaly anomaly : evidence) {
            if (isTypedRule(anomaly) && (!ownRules || isOn(anomaly, resource))) {
                byType.computeIfAbsent(Anomalies.incidentType(anomaly).get(), t -> new TypeEvidence()).add(anomaly);
            } else if (!isTypedRule(anomaly)) {
                learnedMetrics.add(anomaly.getMetric());
            }
        }
        if (byType.isEmpty()) {
            return Diagnosis.newBuilder()
                    .setIncidentType(UNKNOWN)
                    .setSummary("learned baseline anomalies on " + String.join(", ", learnedMetrics) + " of "
                            + resource.getId() + "; no rule fired, so the cause is unknown")
                    .setConfidence(LEARNED_CONFIDENCE)
                    .setRootCause(resource.getId())
                    .setDiagnoser(NAME)
                    .build();
        }
        String type = null;
        TypeEvidence best = null;
        for (Map.Entry<String, TypeEvidence> candidate : byType.entrySet()) {
            if (best == null || candidate.getValue().beats(best)) {
                type = candidate.getKey();
                best = candidate.getValue();
            }
        }
        StringBuilder summary = new StringBuilder(type).append(" on ").append(resource.getId()).append(": ")
                .append(String.format(Locale.ROOT, "rule %s fired %d time%s, strongest: %s",
                        String.join(", ", best.rules), best.count, best.count == 1 ? "" : "s",
                        best.strongest.getReason()));
        List<String> others = new ArrayList<>(byType.keySet());
        others.remove(type);
        if (!others.isEmpty()) {
            summary.append("; also ").append(String.join(", ", others));
        }
        if (!learnedMetrics.isEmpty()) {
            summary.append("; learned anomalies on ").append(String.join(", ", learnedMetrics));
        }
        return Diagnosis.newBuilder()
                .setIncidentType(type)
                .setSummary(summary.toString())
                .setConfidence(RULE_CONFIDENCE)
                .setRootCause(resource.getId())
                .setDiagnoser(NAME)
                .build();
    }

    /** A threshold-rule anomaly that names an incident type. */
    public static boolean isTypedRule(Anomaly anomaly) {
        return Anomalies.isRule(anomaly) && Anomalies.incidentType(anomaly).isPresent();
    }

    public static boolean isOn(Anomaly anomaly, Resource resource) {
        return anomaly.getResource().getId().equals(resource.getId());
    }

    private static final class TypeEvidence {
        int count;
        Anomaly strongest;
        long first = Long.MAX_VALUE;
        final Set<String> rules = new LinkedHashSet<>();

        void add(Anomaly anomaly) {
            count++;
            if (strongest == null || anomaly.getScore() > strongest.getScore()) {
                strongest = anomaly;
            }
            first = Math.min(first, anomaly.getTimestampMillis());
            rules.add(anomaly.getDetector().substring(Anomalies.RULE_DETECTOR_PREFIX.length()));
        }

        boolean beats(TypeEvidence other) {
            if (count != other.count) {
                return count > other.count;
            }
            if (strongest.getScore() != other.strongest.getScore()) {
                return strongest.getScore() > other.strongest.getScore();
            }
            return first < other.first;
        }
    }
}
