package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;
import java.util.Objects;

/** Blocks every command while the kill switch is engaged, or not yet known. */
public final class KillSwitchGuard implements Guard {

    public static final String NAME = "kill-switch";

    private final KillSwitch killSwitch;

    public KillSwitchGuard(KillSwitch killSwitch) {
        this.killSwitch = Objects.requireNonNull(killSwitch, "killSwitch");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        if (!killSwitch.isKnown()) {
            return GuardDecision.block("kill-switch state not yet read from the control topic");
        }
        return killSwitch.isEngaged() ? GuardDecision.block("kill switch engaged") : GuardDecision.pass();
    }
}
