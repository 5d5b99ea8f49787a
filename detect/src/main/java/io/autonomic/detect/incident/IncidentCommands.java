package io.autonomic.detect.incident;

import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.RemediationCommand;

/**
 * The one command an incident gets: for the incident's resource (the top root cause of a correlated incident), with
 * ids derived from the incident id and playbook, so a replay reproduces them and the worker sees a duplicate.
 */
final class IncidentCommands {

    static final int FIRST_STEP = 0;

    private IncidentCommands() {
    }

    /** @param signer null issues the command unsigned */
    static RemediationCommand command(Incident incident, PlaybookCatalog.Decision decision, long issuedAt,
            CommandSignature signer) {
        String playbook = decision.playbook().name();
        RemediationCommand command = RemediationCommand.newBuilder()
                .setCommandId(IncidentIds.commandId(incident.getIncidentId(), playbook, FIRST_STEP))
                .setIdempotencyKey(IncidentIds.idempotencyKey(incident.getIncidentId(), playbook, FIRST_STEP))
                .setIncident(incident)
                .setPlaybook(playbook)
                .setAction(decision.playbook().action())
                .setTarget(incident.getResource())
                .setTargetContext(incident.getContext())
                .setParameters(decision.parameters())
                .setMode(decision.playbook().mode())
                .setIssuedAtMillis(issuedAt)
                .setExpiresAtMillis(issuedAt + decision.playbook().expiresAfter().toMillis())
                .setVerifyWithinMillis(decision.playbook().verifyWithin().toMillis())
                .build();
        return signer == null ? command : signer.signed(command);
    }
}
