package io.autonomic.act.audit;

import io.autonomic.schemas.avro.AuditEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records every event to each of several logs, so one failing sink does not silence the others. */
public final class CompositeAuditLog implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeAuditLog.class);

    private final List<AuditLog> logs;

    public CompositeAuditLog(List<AuditLog> logs) {
        this.logs = List.copyOf(logs);
    }

    public static CompositeAuditLog of(AuditLog... logs) {
        return new CompositeAuditLog(List.of(logs));
    }

    @Override
    public void record(AuditEvent event) {
        for (AuditLog log : logs) {
            try {
                log.record(event);
            } catch (RuntimeException e) {
                LOG.error("audit sink {} failed to record {} {}", log.getClass().getSimpleName(), event.getDecision(),
                        event.getEventId(), e);
            }
        }
    }

    @Override
    public void flush() {
        for (AuditLog log : logs) {
            try {
                log.flush();
            } catch (RuntimeException e) {
                LOG.error("audit sink {} failed to flush", log.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void close() {
        for (AuditLog log : logs) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.error("audit sink {} failed to close", log.getClass().getSimpleName(), e);
            }
        }
    }
}
