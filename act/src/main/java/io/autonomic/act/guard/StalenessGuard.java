package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;
import java.time.Instant;

/** Blocks commands whose {@code expiresAtMillis} has passed: the situation they answered may be long gone. */
public final class StalenessGuard implements Guard {

    public static final String NAME = "staleness";

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
        return GuardDecision.pass();
    }
}
