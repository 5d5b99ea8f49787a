package io.autonomic.act.audit;

import io.autonomic.schemas.avro.AuditEvent;

/**
 * Where audit events go. {@link #record} must not throw for a delivery problem (log it instead): an audit sink
 * hiccup must not stop the worker from deciding. Implementations are thread-safe: the kill-switch listener
 * records from its own thread.
 */
public interface AuditLog extends AutoCloseable {

    void record(AuditEvent event);

    /** Blocks until everything recorded so far is durable where the sink can make it so. */
    default void flush() {
    }

    @Override
    default void close() {
    }
}
