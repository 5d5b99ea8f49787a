package io.autonomic.act.guard;

import io.autonomic.act.playbook.Playbook;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.schemas.avro.RemediationCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Stops remediation loops. A resource may see at most {@code maxAttemptsPerHour} executed attempts in a sliding
 * hour; the command that would exceed the budget is blocked and opens the resource's breaker, which then blocks
 * every command for it until an operator resets it. Attempts before the last reset do not count, so a reset
 * really re-allows. The budget is the command's playbook's own {@code maxAttempts} when the playbook declares one,
 * the worker-wide one otherwise; attempts count per resource whichever playbook made them.
 */
public final class CircuitBreakerGuard implements Guard {

    public static final String NAME = "circuit-breaker";
    static final Duration WINDOW = Duration.ofHours(1);

    private final int maxAttemptsPerHour;
    private final PlaybookCatalog playbooks;

    /** A guard applying {@code maxAttemptsPerHour} to every command, whatever its playbook declares. */
    public CircuitBreakerGuard(int maxAttemptsPerHour) {
        this(maxAttemptsPerHour, null);
    }

    /**
     * @param maxAttemptsPerHour the worker-wide budget, for commands whose playbook declares no {@code maxAttempts}
     * @param playbooks where per-playbook budgets come from; null: only the worker-wide one applies
     */
    public CircuitBreakerGuard(int maxAttemptsPerHour, PlaybookCatalog playbooks) {
        if (maxAttemptsPerHour < 1) {
            throw new IllegalArgumentException("maxAttemptsPerHour must be at least 1: " + maxAttemptsPerHour);
        }
        this.maxAttemptsPerHour = maxAttemptsPerHour;
        this.playbooks = playbooks;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        String resourceId = command.getTarget().getId();
        ResourceHistory history = context.history();
        Optional<ResourceHistory.BreakerState> breaker = history.breaker(resourceId);
        if (breaker.isPresent() && breaker.get().open()) {
            return GuardDecision.block("circuit breaker open since " + breaker.get().changedAt()
                    + " (" + breaker.get().reason() + "); needs a manual reset");
        }
        Instant since = context.now().minus(WINDOW).plusMillis(1);
        if (breaker.isPresent() && breaker.get().changedAt().isAfter(since)) {
            since = breaker.get().changedAt();
        }
        OptionalInt declared = playbooks == null ? OptionalInt.empty()
                : playbooks.find(command.getPlaybook()).map(Playbook::maxAttempts).orElse(OptionalInt.empty());
        int budget = declared.orElse(maxAttemptsPerHour);
        List<ResourceHistory.Attempt> attempts = history.attemptsSince(resourceId, since);
        if (attempts.size() >= budget) {
            long failed = attempts.stream().filter(ResourceHistory.Attempt::failed).count();
            String reason = attempts.size() + " attempt(s) in the last hour (" + failed + " failed), at most "
                    + budget + " allowed" + (declared.isPresent() ? " by playbook " + command.getPlaybook() : "");
            history.openBreaker(resourceId, reason, context.now());
            return GuardDecision.openBreaker("circuit breaker opened: " + reason);
        }
        return GuardDecision.pass();
    }
}
