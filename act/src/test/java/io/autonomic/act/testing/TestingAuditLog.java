package io.autonomic.act.testing;

import io.autonomic.act.audit.AuditLog;
import io.autonomic.schemas.avro.AuditDecision;
import io.autonomic.schemas.avro.AuditEvent;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every audit event in memory. */
public final class TestingAuditLog implements AuditLog {

    public final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
        events.add(event);
    }

    public List<AuditDecision> decisions() {
        return events.stream().map(AuditEvent::getDecision).toList();
    }

    public List<AuditDecision> decisionsFor(String idempotencyKey) {
        return events.stream()
                .filter(e -> Objects.equals(e.getIdempotencyKey(), idempotencyKey))
                .map(AuditEvent::getDecision)
                .toList();
    }

    public List<AuditEvent> withDecision(AuditDecision decision) {
        return events.stream().filter(e -> e.getDecision() == decision).toList();
    }

    public void clear() {
        events.clear();
    }
}
