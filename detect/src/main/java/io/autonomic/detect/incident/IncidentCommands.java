package io.autonomic.detect.incident;

import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.TopologyContext;

/**
 * The command an incident gets: for the incident's resource (the top root cause of a correlated incident), with ids
 * derived from the incident id and playbook, so a replay reproduces them and the worker sees a duplicate. A correlated
 * incident's peers of the root cause (other failing instances of the same service) get the same playbook each, with
 * ids derived from the incident id, playbook and their resource id.
 */
final class IncidentCommands {

    static final int FIRST_STEP = 0;

    private IncidentCommands() {
    }

    /** @param signer null issues the command unsigned */
    static RemediationCommand command(Incident incident, PlaybookCatalog.Decision decision, long issuedAt,
            CommandSignature signer) {
        String playbook = decision.playbook().name();
        return build(incident, decision, issuedAt, signer,
                IncidentIds.commandId(incident.getIncidentId(), playbook, FIRST_STEP),
                IncidentIds.idempotencyKey(incident.getIncidentId(), playbook, FIRST_STEP),
                incident.getResource(), incident.getContext());
    }

    /** The command for a peer of the incident's root cause: same incident, the peer as target. */
    static RemediationCommand peerCommand(Incident incident, Resource peer, TopologyContext peerContext,
            PlaybookCatalog.Decision decision, long issuedAt, CommandSignature signer) {
        String playbook = decision.playbook().name();
        String scope = incident.getIncidentId() + "/" + peer.getId();
        return build(incident, decision, issuedAt, signer, IncidentIds.commandId(scope, playbook, FIRST_STEP),
                IncidentIds.idempotencyKey(scope, playbook, FIRST_STEP), peer, peerContext);
    }

    private static RemediationCommand build(Incident incident, PlaybookCatalog.Decision decision, long issuedAt,
            CommandSignature signer, String commandId, String idempotencyKey, Resource target,
            TopologyContext targetContext) {
        RemediationCommand command = RemediationCommand.newBuilder()
                .setCommandId(commandId)
                .setIdempotencyKey(idempotencyKey)
                .setIncident(incident)
                .setPlaybook(decision.playbook().name())
                .setAction(decision.playbook().action())
                .setTarget(target)
                .setTargetContext(targetContext)
                .setParameters(decision.parameters())
                .setMode(decision.playbook().mode())
                .setIssuedAtMillis(issuedAt)
                .setExpiresAtMillis(issuedAt + decision.playbook().expiresAfter().toMillis())
                .setVerifyWithinMillis(decision.playbook().verifyWithin().toMillis())
                .build();
        return signer == null ? command : signer.signed(command);
    }
}
