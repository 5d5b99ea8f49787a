package io.autonomic.detect.incident;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Services and their dependencies as the correlator knows them: from the latest topology context of an incident's
 * members and of the resource asking to join. Edges count in either direction (a caller and its callee are related
 * whichever of them fails). Built per decision, so a topology update carried by newer records applies to the next
 * grouping without a restart.
 */
final class DependencyGraph {

    private final Map<String, Set<String>> neighbours = new HashMap<>();

    void add(CorrelationCandidate candidate) {
        if (candidate.service() == null) {
            return;
        }
        neighbours.computeIfAbsent(candidate.service(), s -> new HashSet<>());
        for (String dependency : candidate.dependencies()) {
            neighbours.get(candidate.service()).add(dependency);
            neighbours.computeIfAbsent(dependency, s -> new HashSet<>()).add(candidate.service());
        }
    }

    /** Whether any of the target services is at most {@code maxHops} edges from {@code service} (0 if the same). */
    boolean withinHops(String service, Collection<String> targets, int maxHops) {
        if (service == null) {
            return false;
        }
        if (targets.contains(service)) {
            return true;
        }
        Set<String> seen = new HashSet<>(Set.of(service));
        Deque<String> frontier = new ArrayDeque<>(Set.of(service));
        for (int hop = 1; hop <= maxHops && !frontier.isEmpty(); hop++) {
            Deque<String> next = new ArrayDeque<>();
            for (String current : frontier) {
                for (String neighbour : neighbours.getOrDefault(current, Set.of())) {
                    if (targets.contains(neighbour)) {
                        return true;
                    }
                    if (seen.add(neighbour)) {
                        next.add(neighbour);
                    }
                }
            }
            frontier = next;
        }
        return false;
    }
}
