package io.autonomic.act.ledger;

import io.autonomic.schemas.avro.ExecutionRecord;
import java.util.Optional;

/**
 * The executions of every worker in the group, by idempotency key. The local {@link ExecutionLedger} only knows
 * this worker's; after a rebalance a redelivered command can land on a worker that never saw it, so the worker also
 * consults this before executing, and writes STARTED here (acknowledged by all replicas) before calling an executor.
 */
public interface SharedExecutions {

    /** Nothing shared: a single worker, or embedding without the executions topic. */
    SharedExecutions NONE = new SharedExecutions() {
        @Override
        public Optional<ExecutionRecord> find(String idempotencyKey) {
            return Optional.empty();
        }

        @Override
        public void record(ExecutionRecord record, boolean waitForAck) {
        }
    };

    Optional<ExecutionRecord> find(String idempotencyKey);

    /**
     * Publishes the record; with {@code waitForAck} returns only once the broker has it durably, else throws (the
     * caller must then not execute).
     */
    void record(ExecutionRecord record, boolean waitForAck);
}
