package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.DUPLICATE;
import static io.autonomic.schemas.avro.AuditDecision.ESCALATED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTING;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTION_FAILED;
import static io.autonomic.schemas.avro.AuditDecision.RECEIVED;
import static io.autonomic.schemas.avro.AuditDecision.REJECTED;
import static io.autonomic.schemas.avro.AuditDecision.RESOLVED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFICATION_FAILED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.CommandProcessor.Outcome;
import io.autonomic.act.audit.Redaction;
import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.LedgerState;
import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandProcessorTest {

    @TempDir
    Path dir;

    @Test
    void handle_sameKeyTwice_executesOnce() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            RemediationCommand command = Commands.restart("k1", T0).build();
            f.processor.handle(command);
            f.clock.advance(Duration.ofMinutes(6));
            CommandProcessor.Handled second = f.processor.handle(command);

            assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(f.processControl.restarts).hasSize(1);
            assertThat(f.audit.decisions()).endsWith(RECEIVED, DUPLICATE);
            assertThat(f.processor.counters().duplicates()).isEqualTo(1);
            assertThat(f.processor.counters().executed()).isEqualTo(1);
        }
    }

    @Test
    void handle_sameKeyAfterRestart_isDuplicate() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            RemediationCommand command = Commands.restart("k1", T0).build();
            f.processor.handle(command);

            f.restart();
            f.clock.advance(Duration.ofMinutes(6));
            f.processor.handle(command);

            assertThat(f.processControl.restarts).hasSize(1);
            assertThat(f.audit.decisions()).endsWith(DUPLICATE);
        }
    }

    @Test
    void handle_keyStartedWithoutOutcomeBeforeRestart_isInDoubt_notReExecuted_andEscalated() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            RemediationCommand command = Commands.restart("k1", T0).build();
            // the worker died between writing STARTED and the outcome
            f.ledger.started(command, T0);
            f.restart();

            CommandProcessor.Handled handled = f.processor.handle(command);

            assertThat(handled.outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(handled.reason()).isEqualTo("in-doubt");
            assertThat(f.processControl.restarts).isEmpty();
            assertThat(f.audit.decisions()).containsExactly(RECEIVED, DUPLICATE, ESCALATED);
            assertThat(f.audit.withDecision(DUPLICATE).get(0).getDetail()).startsWith("in doubt");
            assertThat(f.escalator.reasons()).singleElement().asString().startsWith("in doubt");
            // settled now: the next delivery is a plain duplicate, not a second escalation
            assertThat(f.ledger.find("k1")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerState.FAILED));
            f.processor.handle(command);
            assertThat(f.escalator.escalations).hasSize(1);
        }
    }

    @Test
    void handle_unknownAction_rejected() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            CommandProcessor.Handled handled = f.processor.handle(
                    Commands.command("k1", "k8s.scale", CHECKOUT, "checkout", T0, Map.of()).build());

            assertThat(handled.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(handled.reason()).isEqualTo("unknown-action");
            assertThat(f.audit.decisions()).containsExactly(RECEIVED, REJECTED);
            assertThat(f.audit.withDecision(REJECTED).get(0).getDetail()).contains("k8s.scale", "process.restart");
            assertThat(f.processor.counters().rejected()).isEqualTo(1);
            assertThat(f.ledger.find("k1")).isEmpty();
        }
    }

    @Test
    void handle_blankIdempotencyKey_rejected() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            CommandProcessor.Handled handled = f.processor.handle(Commands.restart(" ", T0).build());

            assertThat(handled.outcome()).isEqualTo(Outcome.REJECTED);
            assertThat(handled.reason()).isEqualTo("invalid-command");
            assertThat(f.processControl.restarts).isEmpty();
        }
    }

    @Test
    void handle_executorThrows_executionFailed_escalated_ledgerFailed() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processControl.failWith("systemctl exited 5");

            CommandProcessor.Handled handled = f.processor.handle(Commands.restart("k1", T0).build());

            assertThat(handled.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(f.audit.decisions()).endsWith(EXECUTING, EXECUTION_FAILED, ESCALATED);
            assertThat(f.audit.withDecision(EXECUTION_FAILED).get(0).getDetail()).contains("systemctl exited 5");
            assertThat(f.escalator.reasons()).singleElement().asString().contains("systemctl exited 5");
            assertThat(f.ledger.find("k1")).hasValueSatisfying(e -> assertThat(e.state()).isEqualTo(LedgerState.FAILED));
            assertThat(f.processor.pendingVerifications()).isZero();
            assertThat(f.processor.counters().failed()).isEqualTo(1);
        }
    }

    @Test
    void handle_executorReturnsFailure_executionFailed() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            // remove-files outside any allowed directory is refused by the executor, not thrown
            f.processor.handle(Commands.command("k1", "process.remove-files", CHECKOUT, "checkout", T0,
                    Map.of("directory", dir.toString(), "pattern", "*.log")).build());

            assertThat(f.audit.decisions()).endsWith(EXECUTION_FAILED, ESCALATED);
            assertThat(f.audit.withDecision(EXECUTION_FAILED).get(0).getDetail()).contains("outside the allowed directories");
        }
    }

    @Test
    void verification_healthyAfterExecution_verifiedThenResolved() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0).build());
            assertThat(f.processor.pendingVerifications()).isEqualTo(1);

            f.health.put(CHECKOUT, HealthStatus.UNHEALTHY, T0.minusSeconds(60));
            f.clock.advance(Duration.ofSeconds(10));
            f.processor.checkVerifications();
            assertThat(f.audit.decisions()).doesNotContain(VERIFIED);

            f.health.put(CHECKOUT, HealthStatus.HEALTHY, T0.plusSeconds(15));
            f.clock.advance(Duration.ofSeconds(10));
            f.processor.checkVerifications();

            assertThat(f.audit.decisions()).endsWith(EXECUTED, VERIFIED, RESOLVED);
            assertThat(f.audit.withDecision(VERIFIED).get(0).getAttributes()).containsEntry("recoveryMillis", "15000");
            assertThat(f.processor.pendingVerifications()).isZero();
            assertThat(f.escalator.escalations).isEmpty();
        }
    }

    @Test
    void verification_healthyBeforeExecutionOnly_doesNotCount() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.health.put(CHECKOUT, HealthStatus.HEALTHY, T0.minusSeconds(1));
            f.processor.handle(Commands.restart("k1", T0).build());
            f.processor.checkVerifications();

            assertThat(f.audit.decisions()).doesNotContain(VERIFIED);
            assertThat(f.processor.pendingVerifications()).isEqualTo(1);
        }
    }

    @Test
    void verification_deadlinePassed_verificationFailed_escalated_countsAsFailedAttempt() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0).build());
            f.health.put(CHECKOUT, HealthStatus.UNHEALTHY, T0.minusSeconds(60));

            f.clock.advance(Duration.ofSeconds(119));
            f.processor.checkVerifications();
            assertThat(f.audit.decisions()).doesNotContain(VERIFICATION_FAILED);

            f.clock.advance(Duration.ofSeconds(1));
            f.processor.checkVerifications();

            assertThat(f.audit.decisions()).endsWith(VERIFICATION_FAILED, ESCALATED);
            assertThat(f.audit.withDecision(VERIFICATION_FAILED).get(0).getDetail()).contains("UNHEALTHY");
            assertThat(f.escalator.escalations).hasSize(1);
            assertThat(f.ledger.attemptsSince(CHECKOUT, T0)).singleElement()
                    .satisfies(a -> assertThat(a.failed()).isTrue());
            assertThat(f.processor.pendingVerifications()).isZero();
        }
    }

    @Test
    void verification_pendingSurvivesRestart() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0).build());

            f.restart();
            assertThat(f.processor.pendingVerifications()).isEqualTo(1);
            f.health.put(CHECKOUT, HealthStatus.HEALTHY, T0.plusSeconds(20));
            f.processor.checkVerifications();

            assertThat(f.audit.decisions()).endsWith(VERIFIED, RESOLVED);
            f.restart();
            assertThat(f.processor.pendingVerifications()).isZero();
        }
    }

    @Test
    void verification_zeroWindow_notRequested() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0).setVerifyWithinMillis(0).build());

            assertThat(f.processor.pendingVerifications()).isZero();
            assertThat(f.audit.decisions()).endsWith(EXECUTED);
        }
    }

    @Test
    void audit_secretParameters_redacted_everywhere() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0)
                    .setParameters(Map.of("api-token", "s3cr3t", "db_password", "hunter2", "reason", "5xx"))
                    .build());

            AuditEvent received = f.audit.withDecision(RECEIVED).get(0);
            assertThat(received.getAttributes())
                    .containsEntry("param.api-token", Redaction.REDACTED)
                    .containsEntry("param.db_password", Redaction.REDACTED)
                    .containsEntry("param.reason", "5xx");
            assertThat(f.audit.events.toString()).doesNotContain("s3cr3t", "hunter2");
            assertThat(java.nio.file.Files.readString(f.ledgerFile)).doesNotContain("s3cr3t", "hunter2");
        }
    }

    @Test
    void killSwitchChange_audited() throws Exception {
        KillSwitch killSwitch = KillSwitch.released();
        try (ProcessorFixture f = new ProcessorFixture(dir, killSwitch, GuardConfig.defaults())) {
            killSwitch.onChange(f.processor::killSwitchChanged);
            killSwitch.set(true, "alice", "maintenance");

            assertThat(f.audit.events).singleElement().satisfies(e -> {
                assertThat(e.getDecision()).isEqualTo(io.autonomic.schemas.avro.AuditDecision.KILL_SWITCH_CHANGED);
                assertThat(e.getDetail()).contains("engaged by alice: maintenance");
            });
        }
    }

    @Test
    void builder_twoExecutorsDeclaringSameAction_failsNamingIt() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            ActionExecutor a = new NamedExecutor();
            ActionExecutor b = new NamedExecutor();
            assertThatThrownBy(() -> CommandProcessor.builder()
                    .workerId("w").clock(f.clock).executor(a).executor(b)
                    .guards(Guards.standard(KillSwitch.released(), GuardConfig.defaults()))
                    .ledger(f.ledger).auditLog(f.audit).healthView(f.health).escalator(f.escalator)
                    .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("webhook.post");
        }
    }

    private static final class NamedExecutor implements ActionExecutor {
        @Override
        public Set<String> actions() {
            return Set.of("webhook.post");
        }

        @Override
        public ActionResult execute(ActionRequest request) {
            return ActionResult.success("posted");
        }
    }
}
