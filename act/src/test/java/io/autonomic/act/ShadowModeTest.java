package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.APPROVAL_EXPIRED;
import static io.autonomic.schemas.avro.AuditDecision.APPROVED;
import static io.autonomic.schemas.avro.AuditDecision.AWAITING_APPROVAL;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTING;
import static io.autonomic.schemas.avro.AuditDecision.GUARD_BLOCKED;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.process.AllowedDirectories;
import io.autonomic.act.process.ProcessExecutor;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.act.testing.TestingEscalator;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.act.testing.TestingProcessControl;
import io.autonomic.schemas.avro.Approval;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shadow mode: NEEDS_APPROVAL commands are only proposed until a human approves them in time. */
class ShadowModeTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final TestingAuditLog audit = new TestingAuditLog();
    private final TestingProcessControl processControl = new TestingProcessControl();
    private final KillSwitch killSwitch = KillSwitch.released();
    private ExecutionLedger ledger;
    private CommandProcessor processor;

    @BeforeEach
    void start() throws Exception {
        ledger = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
        processor = CommandProcessor.builder()
                .workerId("shadow")
                .clock(clock)
                .executor(new ProcessExecutor(processControl, AllowedDirectories.none(), clock))
                .guards(Guards.standard(killSwitch, GuardConfig.defaults()))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(new TestingHealthView())
                .escalator(new TestingEscalator())
                .approvalTtl(Duration.ofMinutes(5))
                .build();
    }

    @AfterEach
    void close() throws Exception {
        ledger.close();
    }

    private static RemediationCommand proposal(String key) {
        return Commands.restart(key, T0).setMode(ExecutionMode.NEEDS_APPROVAL).build();
    }

    private static Approval approval(String commandId) {
        return Approval.newBuilder().setCommandId(commandId).setActor("alice").setReason("looks right")
                .setAtMillis(T0.toEpochMilli()).build();
    }

    @Test
    void proposal_neverActedOnWithoutApproval_evenAfterItsWindow() {
        processor.handle(proposal("p1"));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(1));
            processor.checkVerifications();
        }

        assertThat(processControl.restarts).isEmpty();
        assertThat(audit.decisionsFor("p1")).contains(AWAITING_APPROVAL).endsWith(APPROVAL_EXPIRED)
                .doesNotContain(EXECUTING);
        assertThat(processor.proposals()).isEmpty();
    }

    @Test
    void approvalInTime_executesThroughTheGuards() {
        processor.handle(proposal("p2"));
        assertThat(processor.proposals()).extracting(RemediationCommand::getCommandId).containsExactly("cmd-p2");
        clock.advance(Duration.ofMinutes(2));

        processor.approve(approval("cmd-p2"));
        processor.checkVerifications();

        assertThat(processControl.restartedIds()).containsExactly(CHECKOUT);
        assertThat(audit.decisionsFor("p2")).containsSubsequence(AWAITING_APPROVAL, APPROVED, EXECUTING, EXECUTED);
        assertThat(audit.withDecision(APPROVED).get(0).getAttributes()).containsEntry("actor", "alice");
        processor.approve(approval("cmd-p2"));
        processor.checkVerifications();
        assertThat(processControl.restarts).hasSize(1);
    }

    @Test
    void approvalTooLate_expired_notExecuted() {
        processor.handle(proposal("p3"));
        clock.advance(Duration.ofMinutes(6));

        processor.approve(approval("cmd-p3"));
        processor.checkVerifications();

        assertThat(processControl.restarts).isEmpty();
        assertThat(audit.decisionsFor("p3")).endsWith(APPROVAL_EXPIRED);
    }

    @Test
    void approvalWhileKillSwitchEngaged_blocked() {
        processor.handle(proposal("p4"));
        killSwitch.set(true, "oncall", "incident review");

        processor.approve(approval("cmd-p4"));
        processor.checkVerifications();

        assertThat(processControl.restarts).isEmpty();
        assertThat(audit.decisionsFor("p4")).containsSubsequence(APPROVED, GUARD_BLOCKED);
    }

    @Test
    void approvalForUnknownCommand_ignored() {
        processor.approve(approval("cmd-nope"));
        processor.checkVerifications();

        assertThat(audit.events).isEmpty();
        assertThat(processControl.restarts).isEmpty();
    }
}
