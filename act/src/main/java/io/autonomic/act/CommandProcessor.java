package io.autonomic.act;

import io.autonomic.act.audit.AuditLog;
import io.autonomic.act.audit.Redaction;
import io.autonomic.act.escalate.Escalator;
import io.autonomic.act.notify.IncidentNotifier;
import io.autonomic.act.guard.BlastRadiusGuard;
import io.autonomic.act.guard.CooldownGuard;
import io.autonomic.act.guard.Guard;
import io.autonomic.act.guard.GuardContext;
import io.autonomic.act.guard.GuardDecision;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.ledger.LedgerEntry;
import io.autonomic.act.ledger.LedgerState;
import io.autonomic.act.ledger.SharedExecutions;
import io.autonomic.act.outcome.OutcomeSink;
import io.autonomic.act.playbook.Playbook;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.security.CommandAuthenticator;
import io.autonomic.act.verify.HealthView;
import io.autonomic.schemas.avro.ActionOutcome;
import io.autonomic.schemas.avro.ActionOutcomeStatus;
import io.autonomic.schemas.avro.Approval;
import io.autonomic.schemas.avro.AuditDecision;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.ExecutionRecord;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and carries out one command at a time, without any Kafka: the worker's whole decision logic, so it can
 * be tested with fixed clocks and fakes. For each command, in order:
 *
 * <ol>
 *   <li>audit RECEIVED;</li>
 *   <li>reject (REJECTED) a command that is malformed, unsigned, forged, replayed or issued outside the
 *       signature window ({@link CommandAuthenticator}), whose playbook is unknown, disabled or does not declare
 *       its action ({@link PlaybookCatalog}), or whose action no executor declares;</li>
 *   <li>DUPLICATE when the ledger already knows the idempotency key (a key STARTED without outcome is "in doubt":
 *       not executed again, escalated); a key only SKIPPED before is reconsidered when its mode changed, so an
 *       approval can re-issue a NEEDS_APPROVAL command as EXECUTE;</li>
 *   <li>each guard in order, audited GUARD_PASSED or GUARD_BLOCKED / DRY_RUN / AWAITING_APPROVAL; a breaker that
 *       opens is audited BREAKER_OPENED and escalated;</li>
 *   <li>ledger STARTED, EXECUTING, the executor, then ledger outcome and EXECUTED or EXECUTION_FAILED (escalated);</li>
 *   <li>after success, a pending verification: VERIFIED + RESOLVED once the health view shows the resource
 *       HEALTHY since the execution began, or VERIFICATION_FAILED + ESCALATED at the deadline
 *       ({@link #checkVerifications()}).</li>
 * </ol>
 *
 * Not thread-safe apart from {@link #resetBreaker} and {@link #killSwitchChanged}: one worker thread drives it.
 */
public final class CommandProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);
    private static final int MAX_DETAIL = 2_000;
    public static final int DEFAULT_MAX_QUEUED = 500;
    public static final Duration DEFAULT_APPROVAL_TTL = Duration.ofMinutes(30);
    private static final int MAX_PROPOSALS = 1_000;

    /** How a command ended up. */
    public enum Outcome {
        REJECTED,
        DUPLICATE,
        BLOCKED,
        DRY_RUN,
        AWAITING_APPROVAL,
        /** held back by a blast-radius cap; retried by {@link #checkVerifications()} while it has not expired */
        QUEUED,
        EXECUTED,
        FAILED
    }

    /**
     * The result of handling one command.
     *
     * @param reason short machine-friendly reason for REJECTED (the dead-letter reason), else the guard name or ""
     */
    public record Handled(Outcome outcome, String reason, String detail) {
    }

    private record Proposal(RemediationCommand command, Instant proposedAt) {
    }

    private record PendingVerification(RemediationCommand command, Instant executedAt, Instant deadline) {
    }

    private final String workerId;
    private final Clock clock;
    private final Map<String, ActionExecutor> executorsByAction;
    private final List<Guard> guards;
    private final ExecutionLedger ledger;
    private final AuditLog auditLog;
    private final HealthView healthView;
    private final Escalator escalator;
    private final IncidentNotifier notifier;
    private final WorkerCounters counters;
    private final CommandAuthenticator authenticator;
    private final PlaybookCatalog playbooks;
    private final BlastRadiusGuard blastRadius;
    private final OutcomeSink outcomes;
    private final SharedExecutions shared;
    private final Duration approvalTtl;
    private final Map<String, Proposal> proposals = new LinkedHashMap<>();
    private final Queue<Approval> approvalInbox = new ConcurrentLinkedQueue<>();
    private final int maxQueued;
    private final Map<String, RemediationCommand> queued = new LinkedHashMap<>();
    private final List<PendingVerification> pending = new ArrayList<>();
    private final Map<String, List<String>> stepHistory = new java.util.HashMap<>();
    private final List<RemediationCommand> followUps = new ArrayList<>();

    private CommandProcessor(Builder builder) {
        this.workerId = requireText(builder.workerId, "workerId");
        this.clock = Objects.requireNonNull(builder.clock, "clock");
        List<Guard> chain = new ArrayList<>(Objects.requireNonNull(builder.guards, "guards"));
        this.blastRadius = builder.blastRadius;
        if (blastRadius != null) {
            // last: only a command every other guard allows may take a slot
            chain.add(blastRadius);
        }
        this.guards = List.copyOf(chain);
        this.maxQueued = builder.maxQueued;
        this.outcomes = builder.outcomes;
        this.shared = builder.shared;
        this.approvalTtl = builder.approvalTtl;
        this.ledger = Objects.requireNonNull(builder.ledger, "ledger");
        this.auditLog = Objects.requireNonNull(builder.auditLog, "auditLog");
        this.healthView = Objects.requireNonNull(builder.healthView, "healthView");
        this.escalator = Objects.requireNonNull(builder.escalator, "escalator");
        this.notifier = builder.notifier;
        this.counters = builder.counters == null ? new WorkerCounters() : builder.counters;
        this.authenticator = builder.authenticator == null ? CommandAuthenticator.unsigned() : builder.authenticator;
        this.playbooks = builder.playbooks;
        this.executorsByAction = indexExecutors(builder.executors);
        restorePendingVerifications();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Map<String, ActionExecutor> indexExecutors(List<ActionExecutor> executors) {
        if (executors.isEmpty()) {
            throw new IllegalArgumentException("at least one executor is required");
        }
        Map<String, ActionExecutor> byAction = new TreeMap<>();
        for (ActionExecutor executor : executors) {
            for (String action : executor.actions()) {
                ActionExecutor previous = byAction.putIfAbsent(action, executor);
                if (previous != null) {
                    throw new IllegalArgumentException("action '" + action + "' is declared by both "
                            + previous.getClass().getName() + " and " + executor.getClass().getName());
                }
            }
        }
        return byAction;
    }

    private void restorePendingVerifications() {
        for (LedgerEntry entry : ledger.awaitingVerification()) {
            if (entry.command() == null) {
                LOG.warn("execution {} on {} awaits verification but its command is not readable; not verifying it",
                        entry.idempotencyKey(), entry.resourceId());
                continue;
            }
            Instant deadline = entry.recordedAt().plusMillis(entry.command().getVerifyWithinMillis());
            pending.add(new PendingVerification(entry.command(), entry.recordedAt(), deadline));
            if (blastRadius != null) {
                blastRadius.started(entry.command(), entry.recordedAt());
            }
        }
        Instant now = clock.instant();
        for (LedgerEntry entry : ledger.inDoubt()) {
            LOG.warn("execution {} of {} on {} started at {} without a recorded outcome: in doubt, will not be repeated",
                    entry.idempotencyKey(), entry.action(), entry.resourceId(), entry.recordedAt());
            if (entry.command() == null || entry.command().getVerifyWithinMillis() <= 0) {
                continue;
            }
            // the action may well have happened: keep watching the resource so the incident can still resolve.
            // A restart after the deadline still gets one full window, counted from now.
            Duration window = Duration.ofMillis(entry.command().getVerifyWithinMillis());
            Instant deadline = entry.recordedAt().plus(window);
            if (deadline.isBefore(now.plus(window))) {
                deadline = now.plus(window);
            }
            pending.add(new PendingVerification(entry.command(), entry.recordedAt(), deadline));
            if (blastRadius != null) {
                blastRadius.started(entry.command(), entry.recordedAt());
            }
        }
    }

    public WorkerCounters counters() {
        return counters;
    }

    /** The actions some executor declares. */
    public List<String> actions() {
        return List.copyOf(executorsByAction.keySet());
    }

    public int pendingVerifications() {
        return pending.size();
    }

    /** Commands held back by a blast-radius cap, waiting for room. */
    public int queuedCommands() {
        return queued.size();
    }

    /** Decides on one decoded command and carries it out when every guard allows it. */
    public Handled handle(RemediationCommand command) {
        Instant now = clock.instant();
        counters.received.incrementAndGet();
        audit(command, AuditDecision.RECEIVED, null, "received " + command.getAction() + " for "
                + command.getTarget().getId(), receivedAttributes(command));

        String invalid = validate(command);
        if (invalid != null) {
            return reject(command, "invalid-command", invalid);
        }
        Optional<CommandAuthenticator.Rejection> refused = authenticator.check(command);
        if (refused.isPresent()) {
            return reject(command, refused.get().reason(), refused.get().detail());
        }
        if (playbooks != null) {
            Optional<PlaybookCatalog.Refusal> undeclared = playbooks.refuse(command);
            if (undeclared.isPresent()) {
                return reject(command, undeclared.get().reason(), undeclared.get().detail());
            }
        }
        ActionExecutor executor = executorsByAction.get(command.getAction());
        if (executor == null) {
            return reject(command, "unknown-action", "no executor declares action '" + command.getAction()
                    + "'; known actions: " + executorsByAction.keySet());
        }

        Optional<LedgerEntry> previous = ledger.find(command.getIdempotencyKey());
        if (previous.isPresent() && !reconsiderable(previous.get(), command)) {
            return duplicate(command, previous.get(), now);
        }
        if (previous.isEmpty()) {
            Optional<ExecutionRecord> elsewhere = shared.find(command.getIdempotencyKey());
            if (elsewhere.isPresent() && !elsewhere.get().getWorker().equals(workerId)) {
                return executedElsewhere(command, elsewhere.get(), now);
            }
        }
        if (queued.containsKey(command.getIdempotencyKey())) {
            counters.duplicates.incrementAndGet();
            audit(command, AuditDecision.DUPLICATE, null, "already queued behind a blast-radius cap",
                    Map.of("previousState", "QUEUED"));
            return new Handled(Outcome.DUPLICATE, "queued", "already queued");
        }
        return guardAndExecute(command, executor, now, false);
    }

    private Handled guardAndExecute(RemediationCommand command, ActionExecutor executor, Instant now, boolean retry) {
        return guardAndExecute(command, executor, now, retry, Set.of());
    }

    private Handled guardAndExecute(RemediationCommand command, ActionExecutor executor, Instant now, boolean retry,
            Set<String> waived) {
        GuardContext context = new GuardContext(now, ledger);
        for (Guard guard : guards) {
            if (waived.contains(guard.name())) {
                audit(command, AuditDecision.GUARD_PASSED, guard.name(), "waived: next step of the same incident's "
                        + "playbook", Map.of("waived", "true"));
                continue;
            }
            GuardDecision decision = guard.check(command, context);
            if (decision.passed()) {
                audit(command, AuditDecision.GUARD_PASSED, guard.name(), "passed", Map.of());
                continue;
            }
            return stopped(command, guard, decision, now, retry);
        }
        return execute(command, executor, now);
    }

    private static String validate(RemediationCommand command) {
        if (command.getIdempotencyKey().isBlank()) {
            return "idempotencyKey is blank";
        }
        if (command.getTarget().getId().isBlank()) {
            return "target.id is blank";
        }
        if (command.getAction().isBlank()) {
            return "action is blank";
        }
        return null;
    }

    private static boolean reconsiderable(LedgerEntry previous, RemediationCommand command) {
        return previous.state() == LedgerState.SKIPPED && previous.mode() != command.getMode();
    }

    private Handled reject(RemediationCommand command, String reason, String detail) {
        counters.rejected.incrementAndGet();
        audit(command, AuditDecision.REJECTED, null, reason + ": " + detail, Map.of("reason", reason));
        return new Handled(Outcome.REJECTED, reason, detail);
    }

    private Handled duplicate(RemediationCommand command, LedgerEntry previous, Instant now) {
        counters.duplicates.incrementAndGet();
        if (previous.state() == LedgerState.STARTED) {
            String detail = "in doubt: execution started at " + previous.recordedAt()
                    + " without a recorded outcome (the worker stopped mid-execution); not executing it again";
            audit(command, AuditDecision.DUPLICATE, null, detail, Map.of("previousState", "STARTED", "inDoubt", "true"));
            ledger.failed(command.getIdempotencyKey(), now, detail);
            escalate(command, detail);
            outcome(command, ActionOutcomeStatus.ESCALATED, null, null, detail);
            return new Handled(Outcome.DUPLICATE, "in-doubt", detail);
        }
        String detail = "idempotency key already " + previous.state() + " at "
                + (previous.finishedAt() == null ? previous.recordedAt() : previous.finishedAt())
                + (previous.detail().isEmpty() ? "" : " (" + truncate(previous.detail()) + ")");
        audit(command, AuditDecision.DUPLICATE, null, detail, Map.of("previousState", previous.state().name()));
        return new Handled(Outcome.DUPLICATE, "duplicate", detail);
    }

    private Handled executedElsewhere(RemediationCommand command, ExecutionRecord record, Instant now) {
        counters.duplicates.incrementAndGet();
        boolean inDoubt = LedgerState.STARTED.name().equals(record.getState());
        String detail = (inDoubt ? "in doubt: " : "") + "worker " + record.getWorker() + " recorded "
                + record.getState() + " at " + Instant.ofEpochMilli(record.getAtMillis())
                + " on the executions topic; not executing it again";
        audit(command, AuditDecision.DUPLICATE, null, detail, Map.of("previousState", record.getState(),
                "previousWorker", record.getWorker(), "inDoubt", Boolean.toString(inDoubt)));
        // remembered locally so that later deliveries are plain duplicates
        ledger.skipped(command, now, detail);
        if (inDoubt) {
            escalate(command, detail);
            outcome(command, ActionOutcomeStatus.ESCALATED, null, null, detail);
        }
        return new Handled(Outcome.DUPLICATE, inDoubt ? "in-doubt" : "duplicate", detail);
    }

    private ExecutionRecord executionRecord(RemediationCommand command, LedgerState state, Instant at, String detail) {
        return ExecutionRecord.newBuilder()
                .setIdempotencyKey(command.getIdempotencyKey())
                .setState(state.name())
                .setResourceId(command.getTarget().getId())
                .setCommandId(command.getCommandId())
                .setAction(command.getAction())
                .setWorker(workerId)
                .setAtMillis(at.toEpochMilli())
                .setDetail(truncate(detail))
                .build();
    }

    private Handled stopped(RemediationCommand command, Guard guard, GuardDecision decision, Instant now,
            boolean retry) {
        if (decision.retryLater()) {
            return queue(command, guard, decision, retry);
        }
        audit(command, decision.auditDecision(), guard.name(), decision.reason(), Map.of());
        Outcome outcome;
        switch (decision.auditDecision()) {
            case DRY_RUN -> {
                counters.dryRuns.incrementAndGet();
                outcome = Outcome.DRY_RUN;
            }
            case AWAITING_APPROVAL -> {
                counters.awaitingApproval.incrementAndGet();
                outcome = Outcome.AWAITING_APPROVAL;
                propose(command, now);
            }
            default -> {
                counters.blocked.incrementAndGet();
                outcome = Outcome.BLOCKED;
            }
        }
        if (decision.opensBreaker()) {
            audit(command, AuditDecision.BREAKER_OPENED, guard.name(), decision.reason(), Map.of());
            escalate(command, decision.reason());
            outcome(command, ActionOutcomeStatus.ESCALATED, null, null, decision.reason());
        }
        ledger.skipped(command, now, guard.name() + ": " + decision.reason());
        return new Handled(outcome, guard.name(), decision.reason());
    }

    private Handled queue(RemediationCommand command, Guard guard, GuardDecision decision, boolean retry) {
        if (retry) {
            // still no room: it stays queued, audited once when it was first held back
            return new Handled(Outcome.QUEUED, guard.name(), decision.reason());
        }
        if (queued.size() >= maxQueued) {
            counters.blocked.incrementAndGet();
            String detail = decision.reason() + "; queue full (" + maxQueued + " commands), not retried";
            audit(command, AuditDecision.GUARD_BLOCKED, guard.name(), detail, Map.of("queued", "false"));
            ledger.skipped(command, clock.instant(), guard.name() + ": " + detail);
            escalate(command, detail);
            outcome(command, ActionOutcomeStatus.ESCALATED, null, null, detail);
            return new Handled(Outcome.BLOCKED, guard.name(), detail);
        }
        counters.blocked.incrementAndGet();
        queued.put(command.getIdempotencyKey(), command);
        audit(command, AuditDecision.GUARD_BLOCKED, guard.name(), decision.reason() + "; queued until "
                + Instant.ofEpochMilli(command.getExpiresAtMillis()), Map.of("queued", "true"));
        return new Handled(Outcome.QUEUED, guard.name(), decision.reason());
    }

    /**
     * Retries queued commands in arrival order: the blast-radius guard alone first (cheap, not audited), the whole
     * chain once it has room, so a kill switch engaged meanwhile still stops them. Expired ones are dropped.
     */
    private void retryQueued() {
        if (queued.isEmpty()) {
            return;
        }
        Iterator<RemediationCommand> iterator = queued.values().iterator();
        while (iterator.hasNext()) {
            RemediationCommand command = iterator.next();
            Instant now = clock.instant();
            if (now.toEpochMilli() >= command.getExpiresAtMillis()) {
                iterator.remove();
                String detail = "expired at " + Instant.ofEpochMilli(command.getExpiresAtMillis())
                        + " while queued behind a blast-radius cap";
                audit(command, AuditDecision.GUARD_BLOCKED, BlastRadiusGuard.NAME, detail, Map.of("queued", "expired"));
                ledger.skipped(command, now, BlastRadiusGuard.NAME + ": " + detail);
                escalate(command, detail);
                outcome(command, ActionOutcomeStatus.ESCALATED, null, null, detail);
                continue;
            }
            if (!blastRadius.check(command, new GuardContext(now, ledger)).passed()) {
                continue;
            }
            iterator.remove();
            Handled handled = guardAndExecute(command, executorsByAction.get(command.getAction()), now, true);
            if (handled.outcome() == Outcome.QUEUED) {
                // another guard's state changed the cap picture in between; keep its place at the end
                queued.put(command.getIdempotencyKey(), command);
            }
        }
    }

    private Handled execute(RemediationCommand command, ActionExecutor executor, Instant startedAt) {
        try {
            // read-your-writes across workers: durable on the topic before anything can happen
            shared.record(executionRecord(command, LedgerState.STARTED, startedAt, ""), true);
        } catch (RuntimeException e) {
            String detail = "not executed: the start could not be recorded on the executions topic: " + e.getMessage();
            counters.failed.incrementAndGet();
            audit(command, AuditDecision.EXECUTION_FAILED, null, detail, Map.of());
            ledger.skipped(command, startedAt, detail);
            escalate(command, detail);
            outcome(command, ActionOutcomeStatus.ESCALATED, null, null, detail);
            return new Handled(Outcome.FAILED, "executions-topic-unavailable", detail);
        }
        ledger.started(command, startedAt);
        if (blastRadius != null) {
            blastRadius.started(command, startedAt);
        }
        notifier.opened(command, "running " + command.getAction() + " on " + command.getTarget().getId());
        audit(command, AuditDecision.EXECUTING, null, "running " + command.getAction() + " on "
                + command.getTarget().getId() + " with " + executor.getClass().getSimpleName(), Map.of());
        counters.executed.incrementAndGet();
        ActionResult result = runExecutor(command, executor);
        Instant finishedAt = clock.instant();
        Map<String, String> attributes = new LinkedHashMap<>(result.attributes());
        attributes.put("durationMillis", Long.toString(Duration.between(startedAt, finishedAt).toMillis()));
        String detail = truncate(result.detail());
        if (!result.success()) {
            counters.failed.incrementAndGet();
            ledger.failed(command.getIdempotencyKey(), finishedAt, detail);
            shared.record(executionRecord(command, LedgerState.FAILED, finishedAt, detail), false);
            finished(command);
            audit(command, AuditDecision.EXECUTION_FAILED, null, detail, attributes);
            escalate(command, "execution of " + command.getAction() + " failed: " + detail);
            outcome(command, ActionOutcomeStatus.FAILED, Duration.between(startedAt, finishedAt).toMillis(), null,
                    detail);
            return new Handled(Outcome.FAILED, "execution-failed", detail);
        }
        boolean verify = command.getVerifyWithinMillis() > 0;
        ledger.succeeded(command.getIdempotencyKey(), finishedAt, detail, verify);
        shared.record(executionRecord(command, LedgerState.SUCCEEDED, finishedAt, detail), false);
        if (verify) {
            Instant deadline = startedAt.plusMillis(command.getVerifyWithinMillis());
            attributes.put("verifyBy", deadline.toString());
            pending.add(new PendingVerification(command, startedAt, deadline));
        } else {
            finished(command);
            outcome(command, ActionOutcomeStatus.SUCCEEDED, Duration.between(startedAt, finishedAt).toMillis(), null,
                    detail + " (no verification requested)");
        }
        audit(command, AuditDecision.EXECUTED, null, detail, attributes);
        return new Handled(Outcome.EXECUTED, "", detail);
    }

    private static ActionResult runExecutor(RemediationCommand command, ActionExecutor executor) {
        try {
            ActionResult result = executor.execute(ActionRequest.of(command));
            return result == null ? ActionResult.failure(executor.getClass().getSimpleName() + " returned no result")
                    : result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ActionResult.failure("interrupted while running " + command.getAction());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("executor {} threw on {} for {}", executor.getClass().getSimpleName(), command.getAction(),
                    command.getTarget().getId(), e);
            return ActionResult.failure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Settles pending verifications: VERIFIED + RESOLVED when the resource is HEALTHY since the execution began,
     * VERIFICATION_FAILED + ESCALATED (and a failed attempt for the breaker) once the deadline has passed.
     */
    public void checkVerifications() {
        settleVerifications();
        try {
            settleApprovals();
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            LOG.error("handling approvals failed; will retry", e);
        }
        try {
            retryQueued();
        } catch (RuntimeException e) {
            counters.errors.incrementAndGet();
            LOG.error("retrying queued commands failed; will retry", e);
        }
    }

    /** Proposals (NEEDS_APPROVAL commands) waiting for a human, oldest first. */
    public List<RemediationCommand> proposals() {
        return proposals.values().stream().map(Proposal::command).toList();
    }

    /**
     * Hands in an approval (from the approvals topic or the HTTP endpoint, any thread); the worker thread acts on
     * it at its next {@link #checkVerifications()}.
     */
    public void approve(Approval approval) {
        approvalInbox.add(Objects.requireNonNull(approval, "approval"));
    }

    private void propose(RemediationCommand command, Instant now) {
        if (proposals.size() >= MAX_PROPOSALS) {
            Iterator<Proposal> oldest = proposals.values().iterator();
            Proposal dropped = oldest.next();
            oldest.remove();
            audit(dropped.command(), AuditDecision.APPROVAL_EXPIRED, null, "dropped: more than " + MAX_PROPOSALS
                    + " proposals pending", Map.of());
        }
        proposals.put(command.getCommandId(), new Proposal(command, now));
    }

    private void settleApprovals() {
        Instant now = clock.instant();
        for (Approval approval = approvalInbox.poll(); approval != null; approval = approvalInbox.poll()) {
            Proposal proposal = proposals.remove(approval.getCommandId());
            if (proposal == null) {
                // an old approval replayed from the topic, or a command another worker holds
                LOG.debug("approval of {} by {}: no such pending proposal here", approval.getCommandId(),
                        approval.getActor());
                continue;
            }
            RemediationCommand command = proposal.command();
            Map<String, String> attributes = Map.of("actor", approval.getActor(), "approvedAt",
                    Instant.ofEpochMilli(approval.getAtMillis()).toString());
            if (!now.isBefore(proposal.proposedAt().plus(approvalTtl))) {
                audit(command, AuditDecision.APPROVAL_EXPIRED, null, "approval by " + approval.getActor()
                        + " came after the proposal expired (" + approvalTtl + ")", attributes);
                continue;
            }
            audit(command, AuditDecision.APPROVED, null, "approved by " + approval.getActor()
                    + (approval.getReason().isEmpty() ? "" : ": " + approval.getReason()), attributes);
            ActionExecutor executor = executorsByAction.get(command.getAction());
            RemediationCommand approved = RemediationCommand.newBuilder(command).setMode(ExecutionMode.EXECUTE).build();
            // through every guard again: the kill switch, an override or the breaker may have changed meanwhile
            guardAndExecute(approved, executor, now, false);
        }
        for (Iterator<Proposal> iterator = proposals.values().iterator(); iterator.hasNext(); ) {
            Proposal proposal = iterator.next();
            if (!now.isBefore(proposal.proposedAt().plus(approvalTtl))) {
                iterator.remove();
                audit(proposal.command(), AuditDecision.APPROVAL_EXPIRED, null, "no approval within " + approvalTtl,
                        Map.of());
            }
        }
    }

    private void finished(RemediationCommand command) {
        if (blastRadius != null) {
            blastRadius.finished(command.getIdempotencyKey());
        }
    }

    /**
     * The playbook's next step after this command's step failed verification with {@code onFailure: next}: a new
     * command for the same incident and resource with the step's action, parameters and deadline, keyed
     * {@code incidentId/playbook/stepIndex} like detect keys the first step.
     */
    private Optional<RemediationCommand> nextStep(RemediationCommand command, Instant now) {
        if (playbooks == null) {
            return Optional.empty();
        }
        Optional<Playbook> playbook = playbooks.find(command.getPlaybook());
        if (playbook.isEmpty()) {
            return Optional.empty();
        }
        List<Playbook.Step> steps = playbook.get().steps();
        int step = stepIndex(command, playbook.get());
        if (step < 0 || steps.get(step).onFailure() != Playbook.OnFailure.NEXT || step + 1 >= steps.size()) {
            return Optional.empty();
        }
        Playbook.Step next = steps.get(step + 1);
        String incidentId = command.getIncident().getIncidentId();
        long validity = Math.max(0, command.getExpiresAtMillis() - command.getIssuedAtMillis());
        return Optional.of(RemediationCommand.newBuilder(command)
                .setCommandId(command.getCommandId() + "/step-" + (step + 1))
                .setIdempotencyKey(incidentId + "/" + command.getPlaybook() + "/" + (step + 1))
                .setAction(next.action())
                .setParameters(next.parameters())
                .setIssuedAtMillis(now.toEpochMilli())
                .setExpiresAtMillis(now.toEpochMilli() + validity)
                .setVerifyWithinMillis(next.verifyWithin().toMillis())
                .setSignature(null)
                .build());
    }

    /** The command's step: the index ending its idempotency key when that step runs its action, else the first match. */
    private static int stepIndex(RemediationCommand command, Playbook playbook) {
        String key = command.getIdempotencyKey();
        int slash = key.lastIndexOf('/');
        if (slash >= 0) {
            try {
                int index = Integer.parseInt(key.substring(slash + 1));
                if (index >= 0 && index < playbook.steps().size()
                        && playbook.steps().get(index).action().equals(command.getAction())) {
                    return index;
                }
            } catch (NumberFormatException e) {
                // not a step-suffixed key: fall back to the action's first step
            }
        }
        return playbook.stepOf(command.getAction());
    }

    private void runFollowUps() {
        while (!followUps.isEmpty()) {
            RemediationCommand next = followUps.remove(0);
            Instant now = clock.instant();
            String incidentId = next.getIncident().getIncidentId();
            List<String> history = stepHistory.getOrDefault(incidentId, List.of());
            audit(next, AuditDecision.RECEIVED, null, "next step of playbook " + next.getPlaybook() + ": "
                    + next.getAction() + " on " + next.getTarget().getId() + " after " + history.size()
                    + " failed step(s)", Map.of("followUp", "true"));
            ActionExecutor executor = executorsByAction.get(next.getAction());
            Handled handled;
            if (executor == null) {
                handled = new Handled(Outcome.REJECTED, "unknown-action", "no executor declares action '"
                        + next.getAction() + "'");
                audit(next, AuditDecision.REJECTED, null, handled.detail(), Map.of("reason", handled.reason()));
            } else {
                // the cooldown is waived: it keeps separate incidents apart, while this is the same incident's plan
                handled = guardAndExecute(next, executor, now, false, Set.of(CooldownGuard.NAME));
            }
            if (handled.outcome() != Outcome.EXECUTED && handled.outcome() != Outcome.QUEUED
                    && handled.outcome() != Outcome.FAILED) {
                stepHistory.remove(incidentId);
                escalate(next, "next step " + next.getAction() + " of playbook " + next.getPlaybook() + " not run ("
                        + handled.reason() + ": " + handled.detail() + "); history: " + String.join(" | ", history));
            }
        }
    }

    private void settleVerifications() {
        try {
            settlePending();
        } finally {
            runFollowUps();
        }
    }

    private void settlePending() {
        if (pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Iterator<PendingVerification> iterator = pending.iterator();
        while (iterator.hasNext()) {
            PendingVerification verification = iterator.next();
            try {
                if (settle(verification, now)) {
                    iterator.remove();
                    finished(verification.command());
                }
            } catch (RuntimeException e) {
                counters.errors.incrementAndGet();
                LOG.error("checking verification of {} failed; will retry", verification.command().getIdempotencyKey(), e);
            }
        }
    }

    private boolean settle(PendingVerification verification, Instant now) {
        RemediationCommand command = verification.command();
        String resourceId = command.getTarget().getId();
        Optional<ResourceHealth> health = healthView.latest(resourceId);
        if (health.isPresent() && health.get().getStatus() == HealthStatus.HEALTHY
                && health.get().getSinceMillis() >= verification.executedAt().toEpochMilli()) {
            Instant healthySince = Instant.ofEpochMilli(health.get().getSinceMillis());
            String detail = resourceId + " healthy since " + healthySince + ", after " + command.getAction()
                    + " at " + verification.executedAt();
            ledger.verified(command.getIdempotencyKey(), now, detail);
            counters.verified.incrementAndGet();
            Map<String, String> attributes = Map.of("healthySince", healthySince.toString(),
                    "recoveryMillis", Long.toString(health.get().getSinceMillis() - verification.executedAt().toEpochMilli()));
            audit(command, AuditDecision.VERIFIED, null, detail, attributes);
            stepHistory.remove(command.getIncident().getIncidentId());
            audit(command, AuditDecision.RESOLVED, null, "incident " + command.getIncident().getIncidentId()
                    + " resolved by " + command.getAction(), attributes);
            notifier.resolved(command, detail);
            outcome(command, ActionOutcomeStatus.SUCCEEDED, null,
                    health.get().getSinceMillis() - verification.executedAt().toEpochMilli(), detail);
            return true;
        }
        if (now.isBefore(verification.deadline())) {
            return false;
        }
        String latest = health.map(h -> h.getStatus() + " since " + Instant.ofEpochMilli(h.getSinceMillis())
                + (h.getReason().isEmpty() ? "" : " (" + h.getReason() + ")")).orElse("no health record");
        String detail = "no recovery of " + resourceId + " seen within "
                + Duration.ofMillis(command.getVerifyWithinMillis()) + " after " + command.getAction() + "; latest: "
                + latest;
        ledger.verificationFailed(command.getIdempotencyKey(), now, detail);
        counters.verificationFailed.incrementAndGet();
        audit(command, AuditDecision.VERIFICATION_FAILED, null, detail, Map.of("deadline", verification.deadline().toString()));
        outcome(command, ActionOutcomeStatus.FAILED, null, null, detail);
        List<String> history = stepHistory.computeIfAbsent(command.getIncident().getIncidentId(), k -> new ArrayList<>());
        history.add(command.getAction() + " at " + verification.executedAt() + ": " + detail);
        Optional<RemediationCommand> next = nextStep(command, now);
        if (next.isPresent()) {
            followUps.add(next.get());
        } else {
            stepHistory.remove(command.getIncident().getIncidentId());
            escalate(command, "playbook " + command.getPlaybook() + " exhausted for incident "
                    + command.getIncident().getIncidentId() + "; history: " + String.join(" | ", history));
        }
        return true;
    }

    /** Closes the resource's circuit breaker after a human looked; attempts before now no longer count. */
    public void resetBreaker(String resourceId, String reason) {
        requireText(resourceId, "resourceId");
        String why = reason == null || reason.isBlank() ? "manual reset" : reason;
        ledger.resetBreaker(resourceId, why, clock.instant());
        // AuditDecision has no BREAKER_RESET yet: recorded as the breaker guard passing again, marked by attribute
        auditLog.record(event(AuditDecision.GUARD_PASSED)
                .setResourceId(resourceId)
                .setGuard("circuit-breaker")
                .setDetail("circuit breaker reset: " + why)
                .setAttributes(Map.of("event", "breaker-reset"))
                .build());
        LOG.info("circuit breaker of {} reset: {}", resourceId, why);
    }

    /**
     * Audits how this worker authenticates commands, once at startup: operators reading the trail must see when a
     * worker accepted unsigned commands.
     */
    public void announceSecurity() {
        String detail;
        if (!authenticator.signing()) {
            detail = "no signing key configured: accepting UNSIGNED commands; configure --signing-key-file on detect "
                    + "and the worker";
            LOG.warn("worker {}: {}", workerId, detail);
        } else if (!authenticator.requiresSignatures()) {
            detail = "signing key configured but --require-signatures=false: unsigned commands are accepted, "
                    + "signed ones verified";
            LOG.warn("worker {}: {}", workerId, detail);
        } else {
            detail = "commands must carry a valid HMAC-SHA256 signature issued within " + authenticator.window();
            LOG.info("worker {}: {}", workerId, detail);
        }
        auditLog.record(event(AuditDecision.SECURITY_MODE)
                .setDetail(detail)
                .setAttributes(Map.of("signing", Boolean.toString(authenticator.signing()),
                        "requireSignatures", Boolean.toString(authenticator.requiresSignatures()),
                        "window", authenticator.window().toString()))
                .build());
    }

    /** Audits a kill-switch change (called from the control listener's thread). */
    public void killSwitchChanged(KillSwitch.Change change) {
        auditLog.record(event(AuditDecision.KILL_SWITCH_CHANGED)
                .setDetail("kill switch " + (change.engaged() ? "engaged" : "released") + " by " + change.actor()
                        + (change.reason().isEmpty() ? "" : ": " + change.reason()))
                .setAttributes(Map.of("engaged", Boolean.toString(change.engaged()), "actor", change.actor()))
                .build());
    }

    /** Audits a record of the commands topic that is not a usable command (the worker dead-letters it). */
    public void rejectRecord(String key, String source, String reason, String detail) {
        counters.rejected.incrementAndGet();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("reason", reason);
        attributes.put("source", source);
        auditLog.record(event(AuditDecision.REJECTED)
                .setResourceId(key)
                .setDetail(reason + ": " + truncate(detail))
                .setAttributes(attributes)
                .build());
    }

    /**
     * Something unexpected broke while handling a command (a bug, a full disk): humans must look, since the ledger
     * may not say what happened. The worker calls this and goes on with the next command.
     */
    public void internalError(RemediationCommand command, Throwable error) {
        counters.errors.incrementAndGet();
        LOG.error("unexpected error handling command {} ({} on {})", command.getCommandId(), command.getAction(),
                command.getTarget().getId(), error);
        escalate(command, "internal error while handling the command: " + error.getClass().getSimpleName() + ": "
                + error.getMessage());
    }

    private void outcome(RemediationCommand command, ActionOutcomeStatus status, Long executionMillis,
            Long recoveryMillis, String detail) {
        int step = playbooks == null ? -1 : playbooks.find(command.getPlaybook())
                .map(playbook -> playbook.stepOf(command.getAction())).orElse(-1);
        try {
            outcomes.record(ActionOutcome.newBuilder()
                    .setOutcomeId(UUID.randomUUID().toString())
                    .setTimestampMillis(clock.millis())
                    .setWorker(workerId)
                    .setIncidentId(command.getIncident().getIncidentId())
                    .setIncidentType(command.getIncident().getDiagnosis().getIncidentType())
                    .setPlaybook(command.getPlaybook())
                    .setStep(step)
                    .setAction(command.getAction())
                    .setResource(command.getTarget())
                    .setIdempotencyKey(command.getIdempotencyKey())
                    .setOutcome(status)
                    .setExecutionMillis(executionMillis)
                    .setRecoveryMillis(recoveryMillis)
                    .setDetail(truncate(detail))
                    .build());
        } catch (RuntimeException e) {
            LOG.error("recording the outcome of {} failed", command.getIdempotencyKey(), e);
        }
    }

    private void escalate(RemediationCommand command, String reason) {
        counters.escalated.incrementAndGet();
        audit(command, AuditDecision.ESCALATED, null, truncate(reason), Map.of());
        try {
            escalator.escalate(command, truncate(reason));
            notifier.escalated(command, truncate(reason));
        } catch (RuntimeException e) {
            LOG.error("escalator failed for incident {}", command.getIncident().getIncidentId(), e);
        }
    }

    private static Map<String, String> receivedAttributes(RemediationCommand command) {
        Map<String, String> attributes = new LinkedHashMap<>();
        command.getParameters().forEach((name, value) -> attributes.put("param." + name, value));
        attributes.put("targetKind", command.getTarget().getKind().name());
        attributes.put("issuedAt", Instant.ofEpochMilli(command.getIssuedAtMillis()).toString());
        attributes.put("expiresAt", Instant.ofEpochMilli(command.getExpiresAtMillis()).toString());
        attributes.put("verifyWithinMillis", Long.toString(command.getVerifyWithinMillis()));
        attributes.put("incidentType", command.getIncident().getDiagnosis().getIncidentType());
        return attributes;
    }

    private void audit(RemediationCommand command, AuditDecision decision, String guard, String detail,
            Map<String, String> attributes) {
        auditLog.record(event(decision)
                .setCommandId(command.getCommandId())
                .setIdempotencyKey(command.getIdempotencyKey())
                .setIncidentId(command.getIncident().getIncidentId())
                .setResourceId(command.getTarget().getId())
                .setPlaybook(command.getPlaybook())
                .setAction(command.getAction())
                .setMode(command.getMode())
                .setGuard(guard)
                .setDetail(truncate(detail))
                .setAttributes(Redaction.redact(attributes))
                .build());
    }

    private AuditEvent.Builder event(AuditDecision decision) {
        return AuditEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTimestampMillis(clock.millis())
                .setWorker(workerId)
                .setDecision(decision);
    }

    private static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Collaborators of a {@link CommandProcessor}; all but {@code counters} are required. */
    public static final class Builder {
        private String workerId;
        private Clock clock;
        private final List<ActionExecutor> executors = new ArrayList<>();
        private List<Guard> guards;
        private ExecutionLedger ledger;
        private AuditLog auditLog;
        private HealthView healthView;
        private Escalator escalator;
        private IncidentNotifier notifier = IncidentNotifier.none();
        private WorkerCounters counters;
        private CommandAuthenticator authenticator;
        private PlaybookCatalog playbooks;
        private BlastRadiusGuard blastRadius;
        private int maxQueued = DEFAULT_MAX_QUEUED;
        private OutcomeSink outcomes = OutcomeSink.NONE;
        private Duration approvalTtl = DEFAULT_APPROVAL_TTL;
        private SharedExecutions shared = SharedExecutions.NONE;

        private Builder() {
        }

        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder executor(ActionExecutor executor) {
            this.executors.add(Objects.requireNonNull(executor, "executor"));
            return this;
        }

        public Builder executors(List<? extends ActionExecutor> executors) {
            executors.forEach(this::executor);
            return this;
        }

        /** The guards in evaluation order, usually {@link io.autonomic.act.guard.Guards#standard}. */
        public Builder guards(List<Guard> guards) {
            this.guards = guards;
            return this;
        }

        public Builder ledger(ExecutionLedger ledger) {
            this.ledger = ledger;
            return this;
        }

        public Builder auditLog(AuditLog auditLog) {
            this.auditLog = auditLog;
            return this;
        }

        public Builder healthView(HealthView healthView) {
            this.healthView = healthView;
            return this;
        }

        public Builder escalator(Escalator escalator) {
            this.escalator = escalator;
            return this;
        }

        /** Tells ticketing and chat about the incidents the worker acts on (opened, escalated, resolved). */
        public Builder notifier(IncidentNotifier notifier) {
            this.notifier = java.util.Objects.requireNonNull(notifier, "notifier");
            return this;
        }

        public Builder counters(WorkerCounters counters) {
            this.counters = counters;
            return this;
        }

        /** Signature, replay and freshness checks; default {@link CommandAuthenticator#unsigned()} (none). */
        public Builder authenticator(CommandAuthenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * The playbooks commands must belong to: a command whose playbook is unknown or disabled, or does not declare
         * its action, is rejected. Null (the default) checks nothing, for embedding without a catalog.
         */
        public Builder playbooks(PlaybookCatalog playbooks) {
            this.playbooks = playbooks;
            return this;
        }

        /** Caps appended as the last guard; a command over a cap is queued (default: no caps). */
        public Builder blastRadius(BlastRadiusGuard blastRadius) {
            this.blastRadius = blastRadius;
            return this;
        }

        /** Where each action's outcome goes (SUCCEEDED / FAILED / ESCALATED); default nowhere. */
        public Builder outcomes(OutcomeSink outcomes) {
            this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
            return this;
        }

        /** Other workers' executions, consulted before executing (default: none). */
        public Builder sharedExecutions(SharedExecutions shared) {
            this.shared = Objects.requireNonNull(shared, "shared");
            return this;
        }

        /** How long a NEEDS_APPROVAL proposal can be approved after it was received. */
        public Builder approvalTtl(Duration approvalTtl) {
            if (approvalTtl == null || approvalTtl.isNegative() || approvalTtl.isZero()) {
                throw new IllegalArgumentException("approvalTtl must be positive, was " + approvalTtl);
            }
            this.approvalTtl = approvalTtl;
            return this;
        }

        /** How many commands may wait for room under the caps; more are escalated. */
        public Builder maxQueued(int maxQueued) {
            if (maxQueued < 0) {
                throw new IllegalArgumentException("maxQueued must not be negative, was " + maxQueued);
            }
            this.maxQueued = maxQueued;
            return this;
        }

        public CommandProcessor build() {
            return new CommandProcessor(this);
        }
    }
}
