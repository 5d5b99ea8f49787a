package io.autonomic.act.notify;

import java.io.IOException;

/**
 * One system people are told through (Slack, PagerDuty, Jira, ServiceNow, a webhook). Delivery is synchronous and
 * throws when the system did not accept it; {@link ChannelNotifier} makes it fire-and-forget for the worker and
 * {@link NotificationExecutor} reports it as an action result.
 */
public interface NotificationChannel {

    /** Short name used in logs and results, e.g. {@code jira}. */
    String name();

    /**
     * Delivers one lifecycle event. Returns a short account (e.g. the ticket key) for the audit trail.
     *
     * @throws NotificationException when the system refused or could not be reached
     */
    String deliver(IncidentEvent event) throws IOException, InterruptedException;
}
