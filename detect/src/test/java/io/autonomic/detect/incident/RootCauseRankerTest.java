package io.autonomic.detect.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.RootCause;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RootCauseRankerTest {

    private static final String DB = "process:db-1/orders-db";

    private static CorrelationCandidate candidate(String id, String service, Layer layer, long onset, double score,
            String... dependencies) {
        return new CorrelationCandidate(id, service, layer, onset, score, Set.of(dependencies));
    }

    private static CorrelationCandidate caller(String service, long onset, double score) {
        return candidate("process:host-1/" + service, service, Layer.APPLICATION, onset, score, "orders-db");
    }

    @Test
    void rank_databaseWithHealthyDependenciesAndThreeDependentsIsTopDespiteALaterOnset() {
        // the callers' errors show before the database's own rule fires
        List<RootCause> ranked = RootCauseRanker.rank(List.of(
                caller("checkout", 1_000, 0.9),
                caller("orders", 1_000, 0.95),
                caller("payments", 1_500, 0.9),
                candidate(DB, "orders-db", Layer.DATA, 2_000, 0.7)));

        assertThat(ranked).extracting(RootCause::getResourceId).first().isEqualTo(DB);
        RootCause top = ranked.get(0);
        assertThat(top.getLayer()).isEqualTo(Layer.DATA);
        assertThat(top.getService()).isEqualTo("orders-db");
        assertThat(top.getOnsetMillis()).isEqualTo(2_000);
        assertThat(top.getReasons()).contains(
                "its own dependencies are healthy (it has none declared or observed)",
                "3 anomalous dependents: process:host-1/checkout, process:host-1/orders, process:host-1/payments",
                "onset rank 3 of 3, 1s after the first",
                "strongest anomaly score 0.70",
                "layer DATA, below platform and applications");
        assertThat(ranked.get(1).getReasons()).contains("depends on anomalous " + DB);
        assertThat(top.getScore()).isGreaterThan(ranked.get(1).getScore());
        assertThat(ranked).allSatisfy(cause -> assertThat(cause.getScore()).isBetween(0.0, 1.0));
    }

    @Test
    void rank_withoutTopologyEarlierOnsetThenHigherScoreWins() {
        List<RootCause> ranked = RootCauseRanker.rank(List.of(
                candidate("b", "b", Layer.APPLICATION, 2_000, 0.9),
                candidate("a", "a", Layer.APPLICATION, 1_000, 0.5),
                candidate("c", "c", Layer.APPLICATION, 2_000, 0.95)));

        assertThat(ranked).extracting(RootCause::getResourceId).containsExactly("a", "c", "b");
        assertThat(ranked.get(0).getReasons()).contains("first anomaly (onset rank 1 of 2)");
    }

    @Test
    void rank_tiesBreakByResourceId() {
        List<RootCause> ranked = RootCauseRanker.rank(List.of(
                candidate("z", "z", Layer.DATA, 1_000, 0.8),
                candidate("m", "m", Layer.DATA, 1_000, 0.8)));

        assertThat(ranked).extracting(RootCause::getResourceId).containsExactly("m", "z");
        assertThat(ranked.get(0).getScore()).isEqualTo(ranked.get(1).getScore());
    }

    @Test
    void rank_chainPutsTheDeepestAnomalousDependencyFirst() {
        // web -> api -> cache; all anomalous; cache's dependencies (none) are healthy
        List<RootCause> ranked = RootCauseRanker.rank(List.of(
                candidate("web", "web", Layer.APPLICATION, 1_000, 0.9, "api"),
                candidate("api", "api", Layer.APPLICATION, 1_000, 0.9, "cache"),
                candidate("cache", "cache", Layer.PLATFORM, 1_000, 0.9)));

        assertThat(ranked).extracting(RootCause::getResourceId).containsExactly("cache", "api", "web");
    }

    @Test
    void rank_singleCandidateGetsHealthyDependenciesAndFirstOnset() {
        List<RootCause> ranked = RootCauseRanker.rank(List.of(
                candidate("checkout", "checkout", Layer.APPLICATION, 1_000, 1.0, "orders-db")));

        assertThat(ranked).singleElement().satisfies(cause -> {
            assertThat(cause.getReasons()).contains("its own dependencies are healthy (orders-db)",
                    "first anomaly (onset rank 1 of 1)");
            assertThat(cause.getScore()).isEqualTo(0.4 + 0.15 + 0.1 + 0.1 * 0.4, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    @Test
    void dependentsOf_followsDependencyEdgesTransitivelyAndSkipsUnrelatedMembers() {
        List<CorrelationCandidate> candidates = List.of(
                candidate("web", "web", Layer.APPLICATION, 1_000, 0.9, "api"),
                candidate("api", "api", Layer.APPLICATION, 1_000, 0.9, "db"),
                candidate("db", "db", Layer.DATA, 1_000, 0.9),
                candidate("batch", "batch", Layer.APPLICATION, 1_000, 0.9),
                candidate("db-backup", "db-backup", Layer.DATA, 1_000, 0.9));

        assertThat(RootCauseRanker.dependentsOf("db", candidates)).containsExactly("api", "web");
        assertThat(RootCauseRanker.dependentsOf("web", candidates)).isEmpty();
    }

    @Test
    void dependencyGraph_relatesWithinHopsInEitherDirection() {
        DependencyGraph graph = new DependencyGraph();
        graph.add(candidate("web", "web", Layer.APPLICATION, 0, 0, "api"));
        graph.add(candidate("api", "api", Layer.APPLICATION, 0, 0, "db"));

        assertThat(graph.withinHops("db", Set.of("api"), 1)).isTrue();
        assertThat(graph.withinHops("db", Set.of("web"), 1)).isFalse();
        assertThat(graph.withinHops("db", Set.of("web"), 2)).isTrue();
        assertThat(graph.withinHops("web", Set.of("web"), 1)).as("same service").isTrue();
        assertThat(graph.withinHops(null, Set.of("web"), 3)).isFalse();
        assertThat(graph.withinHops("batch", Set.of("web"), 3)).isFalse();
    }
}
