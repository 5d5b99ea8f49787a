package io.autonomic.act.notify;

import io.autonomic.schemas.avro.RemediationCommand;

/**
 * Tells people about an incident's lifecycle: opened when the worker first acts on it, escalated when automation
 * gave up, resolved when recovery was verified. Ticketing implementations create a ticket on the first event they
 * see for an incident, update it on escalation and close it on resolution.
 *
 * <p>The worker calls these from its loop: implementations never throw and never block on the network (delivery
 * failures are logged and counted).
 */
public interface IncidentNotifier {

    void opened(RemediationCommand command, String detail);

    void escalated(RemediationCommand command, String reason);

    void resolved(RemediationCommand command, String detail);

    /** A notifier that tells no one. */
    static IncidentNotifier none() {
        return new IncidentNotifier() {
            @Override
            public void opened(RemediationCommand command, String detail) {
            }

            @Override
            public void escalated(RemediationCommand command, String reason) {
            }

            @Override
            public void resolved(RemediationCommand command, String detail) {
            }
        };
    }
}
