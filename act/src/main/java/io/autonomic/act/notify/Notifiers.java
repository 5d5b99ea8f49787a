package io.autonomic.act.notify;

import io.autonomic.act.ActionExecutor;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the notification channels from the worker's options: each channel whose options are set becomes both an
 * {@link ActionExecutor} (a playbook step) and a target of the {@link IncidentNotifier} lifecycle hooks.
 *
 * <p>Secret options (webhook URLs, tokens, passwords) accept {@code env:NAME} (read the environment variable) or
 * {@code file:/path} (read the file, trimmed) besides a literal value, so secrets need not appear on a command
 * line. Secret values are never logged nor written to the audit trail.
 */
public final class Notifiers {

    public static final Option<Duration> TIMEOUT = Option.duration("notify-timeout", HttpJson.DEFAULT_TIMEOUT,
            "connect and request timeout of every notification and ticket call");
    public static final Option<Path> TICKET_STORE = Option.path("ticket-store", Path.of("autonomic-data", "tickets.jsonl"),
            "file mapping incidents to their Jira / ServiceNow tickets; must survive restarts");
    public static final Option<String> SLACK_WEBHOOK = Option.string("slack-webhook-url", null,
            "Slack incoming webhook URL (secret: literal, env:NAME or file:/path)");
    public static final Option<String> PAGERDUTY_ROUTING_KEY = Option.string("pagerduty-routing-key", null,
            "PagerDuty Events v2 integration (routing) key (secret: literal, env:NAME or file:/path)");
    public static final Option<String> PAGERDUTY_URL = Option.string("pagerduty-events-url",
            PagerDutyChannel.EVENTS_URL.toString(), "PagerDuty Events v2 endpoint");
    public static final Option<Boolean> PAGERDUTY_PAGE_ON_OPEN = Option.bool("pagerduty-page-on-open", false,
            "also trigger PagerDuty when an incident opens (default: only on escalation)");
    public static final Option<String> JIRA_URL = Option.string("jira-url", null,
            "Jira base URL, e.g. https://example.atlassian.net");
    public static final Option<Integer> JIRA_API_VERSION = Option.integer("jira-api-version", 3,
            "Jira REST API version: 3 (Cloud, rich-text bodies) or 2");
    public static final Option<String> JIRA_PROJECT = Option.string("jira-project", null, "Jira project key, e.g. OPS");
    public static final Option<String> JIRA_ISSUE_TYPE = Option.string("jira-issue-type", "Task", "Jira issue type name");
    public static final Option<String> JIRA_CLOSE_TRANSITION = Option.string("jira-close-transition", "Done",
            "Jira transition (or target status) that closes an issue when its incident resolves");
    public static final Option<String> JIRA_EMAIL = Option.string("jira-email", null,
            "Jira Cloud account email (with --jira-api-token)");
    public static final Option<String> JIRA_API_TOKEN = Option.string("jira-api-token", null,
            "Jira Cloud API token (secret: literal, env:NAME or file:/path)");
    public static final Option<String> JIRA_BEARER_TOKEN = Option.string("jira-bearer-token", null,
            "Jira Data Center personal access token, instead of email + API token (secret)");
    public static final Option<String> SERVICENOW_URL = Option.string("servicenow-url", null,
            "ServiceNow instance URL, e.g. https://example.service-now.com");
    public static final Option<String> SERVICENOW_USER = Option.string("servicenow-user", null, "ServiceNow user");
    public static final Option<String> SERVICENOW_PASSWORD = Option.string("servicenow-password", null,
            "ServiceNow password (secret: literal, env:NAME or file:/path)");
    public static final Option<String> SERVICENOW_CLOSE_CODE = Option.string("servicenow-close-code",
            ServiceNowChannel.DEFAULT_CLOSE_CODE, "close_code set when an incident resolves");
    public static final Option<String> WEBHOOK_URL = Option.string("notify-webhook-url", null,
            "generic webhook receiving every incident event as JSON (secret: literal, env:NAME or file:/path)");
    public static final Option<String> WEBHOOK_TOKEN = Option.string("notify-webhook-token", null,
            "bearer token for --notify-webhook-url (secret)");

    public static final List<Option<?>> OPTIONS = List.of(TIMEOUT, TICKET_STORE, SLACK_WEBHOOK, PAGERDUTY_ROUTING_KEY,
            PAGERDUTY_URL, PAGERDUTY_PAGE_ON_OPEN, JIRA_URL, JIRA_API_VERSION, JIRA_PROJECT, JIRA_ISSUE_TYPE,
            JIRA_CLOSE_TRANSITION, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_BEARER_TOKEN, SERVICENOW_URL, SERVICENOW_USER,
            SERVICENOW_PASSWORD, SERVICENOW_CLOSE_CODE, WEBHOOK_URL, WEBHOOK_TOKEN);

    private Notifiers() {
    }

    /** The configured channels as playbook-step executors and as one lifecycle notifier, sharing one ticket store. */
    public record Setup(List<ActionExecutor> executors, ChannelNotifier notifier) {
    }

    /**
     * The executors only. When the worker also wants the lifecycle notifier, call {@link #build} once instead and
     * use both halves: two builds would hold two views of the same ticket store.
     */
    public static List<ActionExecutor> fromOptions(Options options) {
        return build(options).executors();
    }

    public static Setup build(Options options) {
        return build(options, System::getenv);
    }

    /** As {@link #build(Options)}, reading {@code env:} secrets through {@code environment}. */
    public static Setup build(Options options, Function<String, String> environment) {
        Duration timeout = options.get(TIMEOUT);
        List<ActionExecutor> executors = new ArrayList<>();
        List<NotificationChannel> channels = new ArrayList<>();
        TicketStore tickets = null;
        if (present(options.get(JIRA_URL)) || present(options.get(SERVICENOW_URL))) {
            try {
                tickets = TicketStore.open(options.get(TICKET_STORE));
            } catch (RuntimeException e) {
                throw new OptionException("--" + TICKET_STORE.name() + ": " + e.getMessage());
            }
        }

        String slack = secret(options, SLACK_WEBHOOK, environment);
        if (slack != null) {
            add(executors, channels, NotificationExecutor.SLACK,
                    new SlackChannel(url(SLACK_WEBHOOK, slack, false), timeout));
        }
        String routingKey = secret(options, PAGERDUTY_ROUTING_KEY, environment);
        if (routingKey != null) {
            add(executors, channels, NotificationExecutor.PAGERDUTY, new PagerDutyChannel(routingKey,
                    url(PAGERDUTY_URL, options.get(PAGERDUTY_URL), true), options.get(PAGERDUTY_PAGE_ON_OPEN), timeout));
        }
        if (present(options.get(JIRA_URL))) {
            String bearer = secret(options, JIRA_BEARER_TOKEN, environment);
            String apiToken = secret(options, JIRA_API_TOKEN, environment);
            Map<String, String> auth;
            if (bearer != null) {
                auth = JiraChannel.bearerAuth(bearer);
            } else if (apiToken != null && present(options.get(JIRA_EMAIL))) {
                auth = JiraChannel.basicAuth(options.get(JIRA_EMAIL).trim(), apiToken);
            } else {
                throw new OptionException("--" + JIRA_URL.name() + " needs --" + JIRA_BEARER_TOKEN.name() + " or --"
                        + JIRA_EMAIL.name() + " with --" + JIRA_API_TOKEN.name());
            }
            JiraChannel.Settings settings;
            try {
                settings = new JiraChannel.Settings(url(JIRA_URL, options.get(JIRA_URL), true),
                        options.get(JIRA_API_VERSION), options.get(JIRA_PROJECT), options.get(JIRA_ISSUE_TYPE),
                        options.get(JIRA_CLOSE_TRANSITION));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new OptionException("Jira options (--" + JIRA_PROJECT.name() + ", --" + JIRA_API_VERSION.name()
                        + "): " + e.getMessage());
            }
            add(executors, channels, NotificationExecutor.JIRA,
                    new JiraChannel(settings, auth, tickets, timeout));
        }
        if (present(options.get(SERVICENOW_URL))) {
            String password = secret(options, SERVICENOW_PASSWORD, environment);
            if (!present(options.get(SERVICENOW_USER)) || password == null) {
                throw new OptionException("--" + SERVICENOW_URL.name() + " needs --" + SERVICENOW_USER.name()
                        + " and --" + SERVICENOW_PASSWORD.name());
            }
            add(executors, channels, NotificationExecutor.SERVICENOW, new ServiceNowChannel(
                    url(SERVICENOW_URL, options.get(SERVICENOW_URL), true), options.get(SERVICENOW_USER).trim(),
                    password, options.get(SERVICENOW_CLOSE_CODE), tickets, timeout));
        }
        String webhook = secret(options, WEBHOOK_URL, environment);
        if (webhook != null) {
            add(executors, channels, NotificationExecutor.WEBHOOK, new WebhookChannel(url(WEBHOOK_URL, webhook, false),
                    secret(options, WEBHOOK_TOKEN, environment), timeout));
        }
        return new Setup(List.copyOf(executors), new ChannelNotifier(channels));
    }

    private static void add(List<ActionExecutor> executors, List<NotificationChannel> channels, String action,
            NotificationChannel channel) {
        executors.add(new NotificationExecutor(action, channel));
        channels.add(channel);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** A URL option's value; the message never repeats a secret URL. */
    private static URI url(Option<String> option, String value, boolean showValue) {
        try {
            return HttpJson.requireHttp(URI.create(value.trim()), "--" + option.name());
        } catch (IllegalArgumentException e) {
            throw new OptionException("--" + option.name() + ": must be an absolute http(s) URL"
                    + (showValue ? ", was '" + value + "'" : ""));
        }
    }

    /** Resolves {@code env:NAME}, {@code file:/path} or a literal; null when unset. */
    static String secret(Options options, Option<String> option, Function<String, String> environment) {
        String raw = options.get(option);
        if (!present(raw)) {
            return null;
        }
        raw = raw.trim();
        if (raw.startsWith("env:")) {
            String name = raw.substring(4);
            String value = environment.apply(name);
            if (!present(value)) {
                throw new OptionException("--" + option.name() + ": environment variable " + name + " is not set");
            }
            return value.trim();
        }
        if (raw.startsWith("file:")) {
            Path file = Path.of(raw.substring(5));
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (value.isEmpty()) {
                    throw new OptionException("--" + option.name() + ": secret file " + file + " is empty");
                }
                return value;
            } catch (IOException e) {
                throw new OptionException("--" + option.name() + ": cannot read secret file " + file + ": " + e);
            }
        }
        return raw;
    }
}
