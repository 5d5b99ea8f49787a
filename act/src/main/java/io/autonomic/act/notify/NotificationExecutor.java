package io.autonomic.act.notify;

import io.autonomic.act.ActionExecutor;
import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A notification channel as a playbook step, e.g. {@code notify.slack} or {@code ticket.jira}. The event is
 * built by {@link IncidentEvent#of(ActionRequest)} (parameters {@code event}, {@code incident-id},
 * {@code summary}, {@code message}); delivery is synchronous so the step's result says whether it arrived.
 * Repeating a step is safe for the systems that deduplicate (PagerDuty by dedup key, the ticketing channels by
 * the ticket store); chat and webhook messages would be posted again, which the worker's ledger prevents.
 */
public final class NotificationExecutor implements ActionExecutor {

    public static final String SLACK = "notify.slack";
    public static final String PAGERDUTY = "notify.pagerduty";
    public static final String WEBHOOK = "notify.webhook";
    public static final String JIRA = "ticket.jira";
    public static final String SERVICENOW = "ticket.servicenow";

    private final String action;
    private final NotificationChannel channel;

    public NotificationExecutor(String action, NotificationChannel channel) {
        this.action = Objects.requireNonNull(action, "action");
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    public Set<String> actions() {
        return Set.of(action);
    }

    @Override
    public ActionResult execute(ActionRequest request) throws InterruptedException {
        IncidentEvent event;
        try {
            event = IncidentEvent.of(request);
        } catch (IllegalArgumentException e) {
            return ActionResult.failure("refused " + request.action() + ": " + e.getMessage(), Map.of("refused", "true"));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("channel", channel.name());
        facts.put("event", event.kind().label());
        facts.put("incidentId", event.incidentId());
        try {
            String outcome = channel.deliver(event);
            return ActionResult.success(outcome, facts);
        } catch (NotificationException e) {
            if (e.status() != 0) {
                facts.put("statusCode", Integer.toString(e.status()));
            }
            return ActionResult.failure(channel.name() + " " + event.kind().label() + " failed: " + e.getMessage(), facts);
        } catch (java.io.IOException e) {
            return ActionResult.failure(channel.name() + " unreachable: " + e, facts);
        }
    }
}
