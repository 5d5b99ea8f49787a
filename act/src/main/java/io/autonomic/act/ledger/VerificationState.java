package io.autonomic.act.ledger;

/** Whether recovery after a successful execution has been confirmed. */
public enum VerificationState {
    NOT_REQUESTED,
    PENDING,
    VERIFIED,
    FAILED
}
