package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stops remediation loops. A resource may see at most {@code maxAttemptsPerHour} executed attempts in a sliding
 * hour; the command that would exceed the budget is blocked and opens the resource's breaker, which then blocks
 * every command for it until an operator resets it. Attempts before the last reset do not count, so a reset
 * really re-allows.
 */
public final class CircuitBreakerGuard implements Guard {

    public static final String NAME = "circuit-breaker";
    static final Duration WINDOW = Duration.ofHours(1);

    private final int maxAttemptsPerHour;

    public CircuitBreakerGuard(int maxAttemptsPerHour) {
        if (maxAttemptsPerHour < 1) {
            throw new IllegalArgumentException("maxAttemptsPerHour must be at least 1: " + maxAttemptsPerHour);
        }
        this.maxAttemptsPerHour = maxAttemptsPerHour;
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
        List<ResourceHistory.Attempt> attempts = history.attemptsSince(resourceId, since);
        if (attempts.size() >= maxAttemptsPerHour) {
            long failed = attempts.stream().filter(ResourceHistory.Attempt::failed).count();
            String reason = attempts.size() + " attempt(s) in the last hour (" + failed + " failed), at most "
                    + maxAttemptsPerHour + " allowed";
            history.openBreaker(resourceId, reason, context.now());
            return GuardDecision.openBreaker("circuit breaker opened: " + reason);
        }
        return GuardDecision.pass();
    }
}
