package io.autonomic.act.guard;

import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.RemediationCommand;

/**
 * Lets only EXECUTE commands through. DRY_RUN commands (or every command, when the worker runs with
 * {@code --dry-run}) stop here recorded as DRY_RUN; NEEDS_APPROVAL commands stop recorded as AWAITING_APPROVAL.
 */
public final class ModeGuard implements Guard {

    public static final String NAME = "mode";

    private final boolean forceDryRun;

    public ModeGuard(boolean forceDryRun) {
        this.forceDryRun = forceDryRun;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        String wouldDo = command.getAction() + " on " + command.getTarget().getId();
        if (forceDryRun) {
            return GuardDecision.dryRun("worker runs in dry-run mode; would run " + wouldDo);
        }
        ExecutionMode mode = command.getMode();
        if (mode == ExecutionMode.EXECUTE) {
            return GuardDecision.pass();
        }
        if (mode == ExecutionMode.NEEDS_APPROVAL) {
            return GuardDecision.awaitApproval("needs approval before running " + wouldDo);
        }
        return GuardDecision.dryRun("dry run; would run " + wouldDo);
    }
}
