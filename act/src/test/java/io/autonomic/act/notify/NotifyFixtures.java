package io.autonomic.act.notify;

import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.RemediationCommand;
import java.util.Map;

/** A fixed command for incident {@code inc-k1} on checkout. */
final class NotifyFixtures {

    static final String INCIDENT = "inc-k1";

    private NotifyFixtures() {
    }

    static RemediationCommand command() {
        return Commands.command("k1", "process.restart", Commands.CHECKOUT, "checkout", Commands.T0, Map.of()).build();
    }

    static IncidentEvent event(IncidentEvent.Kind kind, String text) {
        return IncidentEvent.of(kind, command(), text);
    }
}
