/**
 * Telling people: Slack, PagerDuty Events v2, Jira issues, ServiceNow incidents and a generic webhook, each a
 * {@link io.autonomic.act.notify.NotificationChannel}. They serve twice: as playbook steps
 * ({@link io.autonomic.act.notify.NotificationExecutor}, actions {@code notify.*} and {@code ticket.*}) and as
 * the worker's incident lifecycle hooks ({@link io.autonomic.act.notify.IncidentNotifier}: a ticket is opened,
 * updated on escalation and closed on resolution, its id kept in a {@link io.autonomic.act.notify.TicketStore}).
 * Built by {@link io.autonomic.act.notify.Notifiers#build}.
 */
package io.autonomic.act.notify;
