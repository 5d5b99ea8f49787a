package io.autonomic.act;

import io.autonomic.schemas.Option;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.act.guard.BlastRadiusGuard;
import io.autonomic.act.guard.ControlTopicListener;
import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.security.CommandAuthenticator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The worker's options. Topic names come from {@code --topic.<id>=<name>} (see
 * {@link io.autonomic.schemas.Topics}); the worker reads {@code commands}, {@code health} and {@code control}
 * and writes {@code audit} and {@code dead-letters}.
 */
public final class WorkerOptions {

    public static final Option<String> BOOTSTRAP_SERVERS = PipelineOptions.BOOTSTRAP_SERVERS;
    public static final Option<String> GROUP_ID_PREFIX = PipelineOptions.GROUP_ID_PREFIX;
    public static final Option<String> GROUP_ID = Option.string("group-id", null,
            "consumer group of the command consumer (default: <group-id-prefix>-act-worker)");
    public static final Option<String> WORKER_ID = Option.string("worker-id", "act-worker",
            "this worker's name in audit events and escalations");
    public static final Option<Path> AUDIT_FILE = Option.path("audit-file", Path.of("autonomic-data", "audit.jsonl"),
            "JSON-lines audit trail, one decision per line");
    public static final Option<Path> LEDGER_FILE = Option.path("ledger-file", Path.of("autonomic-data", "ledger.jsonl"),
            "execution ledger: idempotency keys, outcomes, breaker state; must survive restarts");
    public static final Option<String> ALLOWED_DIRS = Option.string("allowed-dir", "",
            "comma-separated directories process.remove-files may delete files in (none by default)");
    public static final Option<Path> PROCESS_CONFIG = Option.path("process-config", null,
            "YAML file mapping service names to restart argv lists (processes: {svc: {restart: [...]}})");
    public static final Option<Boolean> DRY_RUN = Option.bool("dry-run", false,
            "treat every command as DRY_RUN: decide and audit, never execute");
    public static final Option<Duration> COOLDOWN = Option.duration("cooldown", GuardConfig.DEFAULT_COOLDOWN,
            "minimum time between two actions on the same resource, unless the command's playbook declares "
                    + "a cooldown");
    public static final Option<Integer> MAX_ATTEMPTS_PER_HOUR = Option.integer("max-attempts-per-hour",
            GuardConfig.DEFAULT_MAX_ATTEMPTS_PER_HOUR,
            "executed attempts per resource in a sliding hour before its circuit breaker opens, unless the "
                    + "command's playbook declares maxAttempts");
    public static final Option<String> ESCALATION_WEBHOOK = Option.string("escalation-webhook", null,
            "http(s) URL that receives a JSON POST per escalation (escalations are always logged)");

    public static final Option<Path> SIGNING_KEY_FILE = Option.path("signing-key-file", null,
            "file holding the HMAC-SHA256 key (hex or base64, at least 16 bytes) detect signs commands with; "
                    + "without it the worker accepts unsigned commands and says so in the audit trail");
    public static final Option<Boolean> REQUIRE_SIGNATURES = Option.bool("require-signatures", true,
            "with a signing key: reject unsigned commands (false accepts them while still rejecting forged ones)");
    public static final Option<Duration> SIGNATURE_WINDOW = Option.duration("signature-window",
            CommandAuthenticator.DEFAULT_WINDOW,
            "with a signing key: how far a command's issuedAt may lie from the worker's clock, either way");

    public static final Option<Path> PLAYBOOKS = Option.path("playbooks", null,
            "playbook YAML file (default: the shipped playbooks); commands whose playbook it lacks, or whose action "
                    + "their playbook does not declare, are rejected");
    public static final Option<Boolean> STRICT_PLAYBOOKS = Option.bool("strict-playbooks", false,
            "a playbook step naming an action no configured executor provides fails startup (else a warning)");

    public static final Option<Integer> MAX_CONCURRENT_ACTIONS = Option.integer("max-concurrent-actions",
            BlastRadiusGuard.DEFAULT_MAX_CONCURRENT,
            "actions in flight (started, not yet verified or failed) across this worker; more are queued");
    public static final Option<Duration> SERVICE_WINDOW = Option.duration("service-window",
            BlastRadiusGuard.DEFAULT_SERVICE_WINDOW,
            "window in which distinct instances of one service acted on count against a playbook's "
                    + "maxServiceFraction");
    public static final Option<Integer> MAX_QUEUED = Option.integer("max-queued", CommandProcessor.DEFAULT_MAX_QUEUED,
            "commands held back by a blast-radius cap that wait for room; beyond it they are escalated");

    public static final Option<Integer> HTTP_PORT = Option.integer("http-port", null,
            "port of the worker's control endpoint on loopback (POST /kill-switch, POST /breakers/{id}/reset, "
                    + "GET /status); 0 picks a free port; off when absent");
    public static final Option<String> HTTP_HOST = Option.string("http-host", "127.0.0.1",
            "address the control endpoint binds to; it has no authentication, keep it on loopback or behind a proxy");

    public static final Option<String> MAINTENANCE_WINDOWS = Option.string("maintenance-windows", "",
            "worker-wide maintenance windows START/DURATION, comma-separated (e.g. 2026-11-23T10:00Z/PT2H): no action "
                    + "starts inside one; resources declare their own with the topology tag maintenance=...");

    public static final Option<Duration> OVERRIDE_DURATION = Option.duration("override-duration",
            ControlTopicListener.DEFAULT_OVERRIDE_DURATION,
            "how long an override:<resourceId> signal on the control topic pauses automation on the resource");

    public static final Option<Duration> APPROVAL_TTL = Option.duration("approval-ttl",
            CommandProcessor.DEFAULT_APPROVAL_TTL,
            "how long a NEEDS_APPROVAL proposal can be approved (autonomic approve ID, POST /approvals/{commandId})");

    /** The worker's own options. */
    public static final List<Option<?>> WORKER = List.of(BOOTSTRAP_SERVERS, GROUP_ID_PREFIX, GROUP_ID, WORKER_ID,
            AUDIT_FILE, LEDGER_FILE, ALLOWED_DIRS, PROCESS_CONFIG, DRY_RUN, COOLDOWN, MAX_ATTEMPTS_PER_HOUR,
            ESCALATION_WEBHOOK, SIGNING_KEY_FILE, REQUIRE_SIGNATURES, SIGNATURE_WINDOW, PLAYBOOKS, STRICT_PLAYBOOKS,
            MAX_CONCURRENT_ACTIONS, SERVICE_WINDOW, MAX_QUEUED, HTTP_PORT, HTTP_HOST, MAINTENANCE_WINDOWS,
            OVERRIDE_DURATION, APPROVAL_TTL);

    /** Everything the worker accepts: its own options and those of the AWS, Kubernetes and notification executors. */
    public static final List<Option<?>> ALL = java.util.stream.Stream.of(WORKER,
                    io.autonomic.act.aws.AwsExecutors.OPTIONS,
                    io.autonomic.act.k8s.KubernetesExecutors.OPTIONS,
                    io.autonomic.act.notify.Notifiers.OPTIONS)
            .flatMap(List::stream)
            .toList();

    private WorkerOptions() {
    }
}
