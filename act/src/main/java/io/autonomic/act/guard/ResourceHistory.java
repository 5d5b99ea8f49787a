package io.autonomic.act.guard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Per-resource facts the cooldown and circuit-breaker guards need, kept durable by the implementation (the
 * execution ledger) so a restarted worker neither forgets an open breaker nor grants a fresh attempt budget.
 */
public interface ResourceHistory {

    /** When an action was last started on the resource. */
    Optional<Instant> lastExecutionAt(String resourceId);

    /** Executed attempts on the resource started at or after {@code since}, oldest first. */
    List<Attempt> attemptsSince(String resourceId, Instant since);

    /** The latest breaker change for the resource, if it ever had one. */
    Optional<BreakerState> breaker(String resourceId);

    void openBreaker(String resourceId, String reason, Instant at);

    void resetBreaker(String resourceId, String reason, Instant at);

    /**
     * One executed attempt.
     *
     * @param failed true when execution failed or recovery was not verified in time
     */
    record Attempt(String idempotencyKey, Instant at, boolean failed) {
    }

    record BreakerState(boolean open, Instant changedAt, String reason) {
    }
}
