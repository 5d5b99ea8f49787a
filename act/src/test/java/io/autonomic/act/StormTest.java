package io.autonomic.act;

import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.ESCALATED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTING;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTION_FAILED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFICATION_FAILED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.guard.BlastRadiusGuard;
import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.playbook.KnownActions;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.process.AllowedDirectories;
import io.autonomic.act.process.ProcessExecutor;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.act.testing.TestingEscalator;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.act.testing.TestingProcessControl;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1000 resources of ten services flagged within a minute, on a mutable clock: the caps of the shipped
 * {@code restart-on-5xx} playbook (5 in flight, 10 per minute, half of a service) and of the worker (10 in flight)
 * hold at every step, and every command ends executed or escalated, none silently lost.
 */
class StormTest {

    private static final int RESOURCES = 1000;
    private static final int SERVICES = 10;
    private static final Duration RECOVERY = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final TestingAuditLog audit = new TestingAuditLog();
    private final TestingHealthView health = new TestingHealthView();
    private final TestingProcessControl processControl = new TestingProcessControl();
    private final TestingEscalator escalator = new TestingEscalator();
    private final KillSwitch killSwitch = KillSwitch.released();
    private ExecutionLedger ledger;
    private CommandProcessor processor;
    private int scanned;
    private final Deque<AuditEvent> toRecover = new ArrayDeque<>();
    private int inFlight;
    private int maxInFlight;

    @BeforeEach
    void start() throws Exception {
        ledger = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
        PlaybookCatalog playbooks = PlaybookCatalog.defaults(KnownActions.ALL, true);
        processor = CommandProcessor.builder()
                .workerId("storm-worker")
                .clock(clock)
                .executor(new ProcessExecutor(processControl, AllowedDirectories.none(), clock))
                .guards(Guards.standard(killSwitch, GuardConfig.defaults()))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(health)
                .escalator(escalator)
                .playbooks(playbooks)
                .blastRadius(new BlastRadiusGuard(10, Duration.ofMinutes(10), playbooks, health))
                .maxQueued(500)
                .build();
    }

    @AfterEach
    void close() throws Exception {
        ledger.close();
    }

    private static String resourceId(int i) {
        return "process:host-" + i + "/svc-" + (i % SERVICES);
    }

    private RemediationCommand command(int i) {
        return Commands.command("storm-" + i, "process.restart", resourceId(i), "svc-" + (i % SERVICES),
                clock.instant(), Map.of()).build();
    }

    /** Every acted-on resource recovers RECOVERY after its action; the in-flight count is tracked from the audit. */
    private void observe() {
        List<AuditEvent> events = audit.events;
        for (; scanned < events.size(); scanned++) {
            AuditEvent event = events.get(scanned);
            if (event.getDecision() == EXECUTING) {
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                toRecover.addLast(event);
            } else if (event.getDecision() == VERIFIED || event.getDecision() == VERIFICATION_FAILED
                    || event.getDecision() == EXECUTION_FAILED) {
                inFlight--;
            }
        }
        while (!toRecover.isEmpty() && !Instant.ofEpochMilli(toRecover.peekFirst().getTimestampMillis()).plus(RECOVERY)
                .isAfter(clock.instant())) {
            AuditEvent executing = toRecover.removeFirst();
            health(executing.getResourceId(), HealthStatus.HEALTHY,
                    Instant.ofEpochMilli(executing.getTimestampMillis()).plus(RECOVERY));
        }
    }

    private void health(String resourceId, HealthStatus status, Instant since) {
        String service = resourceId.substring(resourceId.indexOf('/') + 1);
        health.put(ResourceHealth.newBuilder(TestingHealthView.health(resourceId, status, since))
                .setResource(Commands.resource(resourceId, service)).build());
    }

    private void tick(Duration step) {
        clock.advance(step);
        processor.checkVerifications();
        observe();
    }

    private void storm(int until) {
        for (int i = 0; i < until; i++) {
            // detect marks each resource unhealthy, which also tells the worker how many instances a service has
            health(resourceId(i), HealthStatus.UNHEALTHY, clock.instant());
        }
        for (int i = 0; i < until; i++) {
            processor.handle(command(i));
            observe();
            tick(Duration.ofMillis(60));
        }
    }

    private List<Instant> executionStarts() {
        return audit.withDecision(EXECUTING).stream().map(e -> Instant.ofEpochMilli(e.getTimestampMillis())).toList();
    }

    @Test
    void storm_thousandResourcesInAMinute_capsHold_restQueuedThenExecutedOrEscalated() {
        storm(RESOURCES);
        for (int s = 0; s < 15 * 60; s++) {
            tick(Duration.ofSeconds(1));
        }

        List<Instant> starts = executionStarts();
        assertThat(maxInFlight).isBetween(1, 5);
        for (Instant from : starts) {
            Instant windowEnd = from.plus(Duration.ofMinutes(1));
            long inMinute = starts.stream().filter(t -> !t.isBefore(from) && t.isBefore(windowEnd)).count();
            assertThat(inMinute).as("starts in the minute from %s", from).isLessThanOrEqualTo(10);
        }
        Map<String, Set<String>> perService = new HashMap<>();
        for (AuditEvent event : audit.withDecision(EXECUTING)) {
            perService.computeIfAbsent(event.getResourceId().substring(event.getResourceId().indexOf('/')),
                    k -> new HashSet<>()).add(event.getResourceId());
        }
        assertThat(perService.values()).allSatisfy(ids -> assertThat(ids.size()).isLessThanOrEqualTo(50));
        assertThat(starts.size()).isBetween(100, 130);
        long escalatedCommands = audit.withDecision(ESCALATED).stream().map(AuditEvent::getIdempotencyKey).distinct().count();
        assertThat(starts.size() + escalatedCommands).isEqualTo(RESOURCES);
        assertThat(processor.queuedCommands()).isZero();
        assertThat(processControl.restarts).hasSize(starts.size());
    }

    @Test
    void killSwitchDuringStorm_noActionStartsAfterItIsEngaged() {
        storm(300);
        tick(Duration.ofSeconds(20));
        Instant engagedAt = clock.instant();
        killSwitch.set(true, "oncall", "storm");
        int restartsAtEngagement = processControl.restarts.size();
        for (int i = 300; i < 400; i++) {
            processor.handle(command(i));
            tick(Duration.ofSeconds(1));
        }
        for (int s = 0; s < 15 * 60; s++) {
            tick(Duration.ofSeconds(1));
        }

        assertThat(restartsAtEngagement).isPositive();
        assertThat(executionStarts()).allSatisfy(t -> assertThat(t).isBefore(engagedAt));
        assertThat(processControl.restarts).hasSize(restartsAtEngagement);
        assertThat(processor.queuedCommands()).isZero();
    }
}
