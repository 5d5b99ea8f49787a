package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Blocks a second action on the same resource until {@code cooldown} has passed since the last one started. */
public final class CooldownGuard implements Guard {

    public static final String NAME = "cooldown";

    private final Duration cooldown;

    public CooldownGuard(Duration cooldown) {
        this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        Optional<Instant> last = context.history().lastExecutionAt(command.getTarget().getId());
        if (last.isPresent()) {
            Instant allowedFrom = last.get().plus(cooldown);
            if (context.now().isBefore(allowedFrom)) {
                return GuardDecision.block("cooldown: last action at " + last.get() + ", next allowed from "
                        + allowedFrom);
            }
        }
        return GuardDecision.pass();
    }
}
