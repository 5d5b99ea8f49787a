package io.autonomic.act.notify;

import io.autonomic.schemas.avro.RemediationCommand;
import java.util.ArrayList;
import java.util.List;

/** Records every lifecycle hook as {@code "<kind> <incidentId>: <text>"}, for tests of code that calls a notifier. */
public final class TestingIncidentNotifier implements IncidentNotifier {

    private final List<String> calls = new ArrayList<>();

    @Override
    public synchronized void opened(RemediationCommand command, String detail) {
        calls.add("opened " + command.getIncident().getIncidentId() + ": " + detail);
    }

    @Override
    public synchronized void escalated(RemediationCommand command, String reason) {
        calls.add("escalated " + command.getIncident().getIncidentId() + ": " + reason);
    }

    @Override
    public synchronized void resolved(RemediationCommand command, String detail) {
        calls.add("resolved " + command.getIncident().getIncidentId() + ": " + detail);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }
}
