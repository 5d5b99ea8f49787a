package io.autonomic.act.outcome;

import io.autonomic.schemas.avro.ActionOutcome;

/** Receives one {@link ActionOutcome} per settled action. Implementations must not throw and are thread-safe. */
public interface OutcomeSink extends AutoCloseable {

    /** Drops outcomes: for embedding without an outcomes topic. */
    OutcomeSink NONE = outcome -> { };

    void record(ActionOutcome outcome);

    @Override
    default void close() {
    }
}
