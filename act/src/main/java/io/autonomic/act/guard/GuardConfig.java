package io.autonomic.act.guard;

import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of the standard guards.
 *
 * @param cooldown minimum time between two executed actions on the same resource, unless the command's playbook
 *     declares its own {@code cooldown}
 * @param maxAttemptsPerHour executed attempts allowed per resource in a sliding hour before the breaker opens,
 *     unless the command's playbook declares its own {@code maxAttempts}
 * @param forceDryRun when true every command is treated as DRY_RUN, whatever mode it carries
 */
public record GuardConfig(Duration cooldown, int maxAttemptsPerHour, boolean forceDryRun) {

    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_ATTEMPTS_PER_HOUR = 3;

    public GuardConfig {
        Objects.requireNonNull(cooldown, "cooldown");
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown must not be negative: " + cooldown);
        }
        if (maxAttemptsPerHour < 1) {
            throw new IllegalArgumentException("maxAttemptsPerHour must be at least 1: " + maxAttemptsPerHour);
        }
    }

    public static GuardConfig defaults() {
        return new GuardConfig(DEFAULT_COOLDOWN, DEFAULT_MAX_ATTEMPTS_PER_HOUR, false);
    }
}
