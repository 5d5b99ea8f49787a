package io.autonomic.act.escalate;

import io.autonomic.schemas.avro.RemediationCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Escalates by logging a WARN line with the incident, the resource, the action and the reason. */
public final class LoggingEscalator implements Escalator {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingEscalator.class);

    @Override
    public void escalate(RemediationCommand command, String reason) {
        LOG.warn("ESCALATION incident={} resource={} playbook={} action={} reason={}",
                command.getIncident().getIncidentId(), command.getTarget().getId(), command.getPlaybook(),
                command.getAction(), reason);
    }
}
