package io.autonomic.act.guard;

import io.autonomic.act.verify.HealthView;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import java.time.Instant;
import java.util.Optional;

/**
 * Re-checks, just before acting, that the command still answers a live problem: blocks it when it has expired
 * ({@code expiresAtMillis}) or, given a health view, when the resource has reported HEALTHY since after its incident
 * opened (the condition cleared by itself or by someone else).
 */
public final class StalenessGuard implements Guard {

    public static final String NAME = "staleness";

    private final HealthView healthView;

    /** Expiry only. */
    public StalenessGuard() {
        this(null);
    }

    /** Expiry and the resource's current health; {@code healthView} null checks expiry only. */
    public StalenessGuard(HealthView healthView) {
        this.healthView = healthView;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        Instant expiresAt = Instant.ofEpochMilli(command.getExpiresAtMillis());
        if (!context.now().isBefore(expiresAt)) {
            return GuardDecision.block("expired at " + expiresAt + " (now " + context.now() + ")");
        }
        if (healthView != null) {
            Optional<ResourceHealth> health = healthView.latest(command.getTarget().getId());
            long openedAt = command.getIncident().getOpenedAtMillis();
            if (health.isPresent() && health.get().getStatus() == HealthStatus.HEALTHY
                    && health.get().getSinceMillis() > openedAt) {
                return GuardDecision.block("condition cleared: " + command.getTarget().getId() + " healthy since "
                        + Instant.ofEpochMilli(health.get().getSinceMillis()) + ", after incident "
                        + command.getIncident().getIncidentId() + " opened at " + Instant.ofEpochMilli(openedAt));
            }
        }
        return GuardDecision.pass();
    }
}
