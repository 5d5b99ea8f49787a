package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;
import java.util.Objects;
import java.util.Optional;

/** Blocks commands on a resource a human has taken over ({@link Overrides}) until the override ends. */
public final class OverrideGuard implements Guard {

    public static final String NAME = "human-override";

    private final Overrides overrides;

    public OverrideGuard(Overrides overrides) {
        this.overrides = Objects.requireNonNull(overrides, "overrides");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        Optional<Overrides.Override> override = overrides.active(command.getTarget().getId(), context.now());
        if (override.isPresent()) {
            return GuardDecision.block("human override by " + override.get().actor() + " until "
                    + override.get().until() + (override.get().reason().isEmpty() ? "" : ": " + override.get().reason()));
        }
        return GuardDecision.pass();
    }
}
