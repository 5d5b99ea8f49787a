package io.autonomic.act.ledger;

import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.RemediationCommand;
import java.time.Instant;

/**
 * What the ledger knows about one idempotency key.
 *
 * @param recordedAt when the key was first recorded (STARTED or SKIPPED)
 * @param finishedAt when the outcome was recorded; null while STARTED
 * @param command the command as executed, with secret parameters redacted; null for skipped keys or when a
 *     stored command could no longer be decoded
 */
public record LedgerEntry(String idempotencyKey, LedgerState state, String resourceId, String commandId,
        String action, ExecutionMode mode, Instant recordedAt, Instant finishedAt, String detail,
        VerificationState verification, RemediationCommand command) {

    LedgerEntry withOutcome(LedgerState newState, Instant at, String newDetail, VerificationState newVerification) {
        return new LedgerEntry(idempotencyKey, newState, resourceId, commandId, action, mode, recordedAt, at,
                newDetail, newVerification, command);
    }

    LedgerEntry withVerification(VerificationState newVerification) {
        return new LedgerEntry(idempotencyKey, state, resourceId, commandId, action, mode, recordedAt, finishedAt,
                detail, newVerification, command);
    }
}
