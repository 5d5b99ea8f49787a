package io.autonomic.act.guard;

import java.util.List;

/** The standard guard chain. */
public final class Guards {

    private Guards() {
    }

    /**
     * Kill switch, opt-out, staleness, mode, cooldown, circuit breaker, in that order: cheap global stops first,
     * the breaker last because only a command that would really run may spend an attempt or open it.
     */
    public static List<Guard> standard(KillSwitch killSwitch, GuardConfig config) {
        return List.of(
                new KillSwitchGuard(killSwitch),
                new OptOutGuard(),
                new StalenessGuard(),
                new ModeGuard(config.forceDryRun()),
                new CooldownGuard(config.cooldown()),
                new CircuitBreakerGuard(config.maxAttemptsPerHour()));
    }
}
