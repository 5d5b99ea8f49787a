package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;

/** One safety check a command must pass before it is executed. */
public interface Guard {

    /** Stable name written to the audit trail, e.g. {@code kill-switch}. */
    String name();

    GuardDecision check(RemediationCommand command, GuardContext context);
}
