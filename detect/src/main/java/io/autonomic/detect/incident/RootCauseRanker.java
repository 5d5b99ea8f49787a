package io.autonomic.detect.incident;

import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.RootCause;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ranks the anomalous resources of a correlated incident by how likely each is the root cause. The score, in
 * [0, 1], adds up:
 *
 * <ul>
 *   <li>{@value #HEALTHY_DEPENDENCIES_WEIGHT}: none of its own dependencies is anomalous in the incident. A
 *       resource whose dependency is failing may just be suffering from it; one whose dependencies are fine is
 *       where the trouble starts. The strongest signal.
 *   <li>up to {@value #DEPENDENTS_WEIGHT}: the share of the other anomalous resources that depend on it directly.
 *   <li>up to {@value #ONSET_WEIGHT}: onset order; the first to go wrong gets all of it, the last none.
 *   <li>up to {@value #SEVERITY_WEIGHT}: its strongest anomaly score.
 *   <li>up to {@value #LAYER_WEIGHT}: its layer; data, infrastructure and network sit below the platform, the
 *       platform below applications, and faults propagate upwards.
 * </ul>
 * Ties go to the smaller resource id, so replays rank the same way. Pure and deterministic.
 */
public final class RootCauseRanker {

    static final double HEALTHY_DEPENDENCIES_WEIGHT = 0.4;
    static final double DEPENDENTS_WEIGHT = 0.25;
    static final double ONSET_WEIGHT = 0.15;
    static final double SEVERITY_WEIGHT = 0.1;
    static final double LAYER_WEIGHT = 0.1;

    private RootCauseRanker() {
    }

    /** Best first; one {@link RootCause} per candidate, each with the reasons behind its score. */
    public static List<RootCause> rank(List<CorrelationCandidate> candidates) {
        List<Long> onsets = candidates.stream().map(CorrelationCandidate::onsetMillis).distinct().sorted().toList();
        long firstOnset = onsets.isEmpty() ? 0 : onsets.get(0);
        int others = candidates.size() - 1;
        List<RootCause> ranked = new ArrayList<>(candidates.size());
        for (CorrelationCandidate candidate : candidates) {
            List<String> reasons = new ArrayList<>();
            double score = 0;

            Set<String> anomalousDependencies = new TreeSet<>();
            Set<String> anomalousDependents = new TreeSet<>();
            for (CorrelationCandidate other : candidates) {
                if (candidate.dependsOn(other)) {
                    anomalousDependencies.add(other.resourceId());
                }
                if (other.dependsOn(candidate)) {
                    anomalousDependents.add(other.resourceId());
                }
            }
            if (anomalousDependencies.isEmpty()) {
                score += HEALTHY_DEPENDENCIES_WEIGHT;
                reasons.add(candidate.dependencies().isEmpty()
                        ? "its own dependencies are healthy (it has none declared or observed)"
                        : "its own dependencies are healthy (" + String.join(", ", new TreeSet<>(
                                candidate.dependencies())) + ")");
            } else {
                reasons.add("depends on anomalous " + String.join(", ", anomalousDependencies));
            }

            if (!anomalousDependents.isEmpty()) {
                score += DEPENDENTS_WEIGHT * anomalousDependents.size() / others;
                reasons.add(anomalousDependents.size() + " anomalous dependent"
                        + (anomalousDependents.size() == 1 ? "" : "s") + ": " + String.join(", ", anomalousDependents));
            }

            int onsetRank = onsets.indexOf(candidate.onsetMillis());
            score += onsets.size() <= 1 ? ONSET_WEIGHT : ONSET_WEIGHT * (1 - onsetRank / (double) (onsets.size() - 1));
            if (onsetRank == 0) {
                reasons.add(String.format(Locale.ROOT, "first anomaly (onset rank 1 of %d)", onsets.size()));
            } else {
                reasons.add(String.format(Locale.ROOT, "onset rank %d of %d, %s after the first", onsetRank + 1,
                        onsets.size(), seconds(candidate.onsetMillis() - firstOnset)));
            }

            double severity = Math.max(0, Math.min(1, candidate.maxScore()));
            score += SEVERITY_WEIGHT * severity;
            reasons.add(String.format(Locale.ROOT, "strongest anomaly score %.2f", severity));

            double layer = layerWeight(candidate.layer());
            score += LAYER_WEIGHT * layer;
            if (layer == 1.0) {
                reasons.add("layer " + candidate.layer() + ", below platform and applications");
            }

            ranked.add(RootCause.newBuilder()
                    .setResourceId(candidate.resourceId())
                    .setService(candidate.service())
                    .setLayer(candidate.layer())
                    .setScore(Math.min(1, score))
                    .setOnsetMillis(candidate.onsetMillis())
                    .setReasons(reasons)
                    .build());
        }
        ranked.sort(Comparator.comparingDouble(RootCause::getScore).reversed()
                .thenComparing(RootCause::getResourceId));
        return ranked;
    }

    /**
     * Candidates other than the root cause that depend on it, directly or through other candidates: their alerts
     * are symptoms of the root cause and are inhibited. Sorted.
     */
    public static List<String> dependentsOf(String rootCauseId, List<CorrelationCandidate> candidates) {
        Set<String> reached = new HashSet<>();
        Deque<String> frontier = new ArrayDeque<>(List.of(rootCauseId));
        reached.add(rootCauseId);
        while (!frontier.isEmpty()) {
            String current = frontier.poll();
            CorrelationCandidate target = candidates.stream()
                    .filter(c -> c.resourceId().equals(current)).findFirst().orElse(null);
            if (target == null) {
                continue;
            }
            for (CorrelationCandidate other : candidates) {
                if (!reached.contains(other.resourceId()) && other.dependsOn(target)) {
                    reached.add(other.resourceId());
                    frontier.add(other.resourceId());
                }
            }
        }
        reached.remove(rootCauseId);
        return List.copyOf(new TreeSet<>(reached));
    }

    static double layerWeight(Layer layer) {
        return switch (layer) {
            case DATA, INFRASTRUCTURE, NETWORK -> 1.0;
            case PLATFORM -> 0.7;
            case APPLICATION, UNKNOWN -> 0.4;
        };
    }

    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
    }
}
