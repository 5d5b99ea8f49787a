package io.autonomic.act.testing;

import io.autonomic.act.escalate.Escalator;
import io.autonomic.schemas.avro.RemediationCommand;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every escalation. */
public final class TestingEscalator implements Escalator {

    public record Escalation(RemediationCommand command, String reason) {
    }

    public final List<Escalation> escalations = new CopyOnWriteArrayList<>();

    @Override
    public void escalate(RemediationCommand command, String reason) {
        escalations.add(new Escalation(command, reason));
    }

    public List<String> reasons() {
        return escalations.stream().map(Escalation::reason).toList();
    }
}
