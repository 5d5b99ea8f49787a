package io.autonomic.act.ledger;

/** Where an idempotency key stands. STARTED without a later outcome after a restart means "in doubt". */
public enum LedgerState {
    STARTED,
    SUCCEEDED,
    FAILED,
    SKIPPED
}
