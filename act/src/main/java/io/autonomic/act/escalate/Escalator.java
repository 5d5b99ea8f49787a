package io.autonomic.act.escalate;

import io.autonomic.schemas.avro.RemediationCommand;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands an incident to humans. Must not throw: a failed notification is logged, the worker goes on. */
public interface Escalator {

    void escalate(RemediationCommand command, String reason);

    /** Notifies each escalator in turn; one failing does not keep the others from being told. */
    static Escalator all(List<Escalator> escalators) {
        List<Escalator> copy = List.copyOf(escalators);
        Logger log = LoggerFactory.getLogger(Escalator.class);
        return (command, reason) -> {
            for (Escalator escalator : copy) {
                try {
                    escalator.escalate(command, reason);
                } catch (RuntimeException e) {
                    log.error("escalator {} failed for incident {}", escalator.getClass().getSimpleName(),
                            command.getIncident().getIncidentId(), e);
                }
            }
        };
    }
}
