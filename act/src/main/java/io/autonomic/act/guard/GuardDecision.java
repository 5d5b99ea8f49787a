package io.autonomic.act.guard;

import io.autonomic.schemas.avro.AuditDecision;
import java.util.Objects;

/**
 * A guard's answer. A pass lets the next guard look; anything else stops the command, and {@link #auditDecision()}
 * says how the stop is recorded: {@code GUARD_BLOCKED} for a refusal, {@code DRY_RUN} or {@code AWAITING_APPROVAL}
 * when the mode guard holds the command back. {@link #opensBreaker()} asks the worker to record the breaker
 * opening and to escalate the incident.
 */
public final class GuardDecision {

    private static final GuardDecision PASS = new GuardDecision(true, AuditDecision.GUARD_PASSED, "", false);

    private final boolean passed;
    private final AuditDecision auditDecision;
    private final String reason;
    private final boolean opensBreaker;
    private final boolean retryLater;

    private GuardDecision(boolean passed, AuditDecision auditDecision, String reason, boolean opensBreaker) {
        this(passed, auditDecision, reason, opensBreaker, false);
    }

    private GuardDecision(boolean passed, AuditDecision auditDecision, String reason, boolean opensBreaker,
            boolean retryLater) {
        this.passed = passed;
        this.auditDecision = auditDecision;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.opensBreaker = opensBreaker;
        this.retryLater = retryLater;
    }

    /**
     * Blocks for now: the condition is expected to pass later (a cap with room again), so the worker queues the
     * command and retries it while it has not expired, instead of recording it as skipped.
     */
    public static GuardDecision retryLater(String reason) {
        return new GuardDecision(false, AuditDecision.GUARD_BLOCKED, reason, false, true);
    }

    public boolean retryLater() {
        return retryLater;
    }

    public static GuardDecision pass() {
        return PASS;
    }

    public static GuardDecision block(String reason) {
        return new GuardDecision(false, AuditDecision.GUARD_BLOCKED, reason, false);
    }

    public static GuardDecision dryRun(String reason) {
        return new GuardDecision(false, AuditDecision.DRY_RUN, reason, false);
    }

    public static GuardDecision awaitApproval(String reason) {
        return new GuardDecision(false, AuditDecision.AWAITING_APPROVAL, reason, false);
    }

    /** Blocks and tells the worker that this decision opened the resource's circuit breaker. */
    public static GuardDecision openBreaker(String reason) {
        return new GuardDecision(false, AuditDecision.GUARD_BLOCKED, reason, true);
    }

    public boolean passed() {
        return passed;
    }

    public AuditDecision auditDecision() {
        return auditDecision;
    }

    public String reason() {
        return reason;
    }

    public boolean opensBreaker() {
        return opensBreaker;
    }

    @Override
    public String toString() {
        return passed ? "pass" : auditDecision + "(" + reason + (opensBreaker ? ", breaker opened" : "")
                + (retryLater ? ", retry later" : "") + ")";
    }
}
