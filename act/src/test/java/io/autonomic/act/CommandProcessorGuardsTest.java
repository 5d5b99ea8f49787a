package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.BREAKER_OPENED;
import static io.autonomic.schemas.avro.AuditDecision.DRY_RUN;
import static io.autonomic.schemas.avro.AuditDecision.ESCALATED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTING;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTION_FAILED;
import static io.autonomic.schemas.avro.AuditDecision.GUARD_BLOCKED;
import static io.autonomic.schemas.avro.AuditDecision.GUARD_PASSED;
import static io.autonomic.schemas.avro.AuditDecision.RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.CommandProcessor.Outcome;
import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.AuditDecision;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guards in their order, driven through the processor with a mutable clock starting at T0. */
class CommandProcessorGuardsTest {

    private static final List<String> ALL_GUARDS =
            List.of("kill-switch", "maintenance-window", "opt-out", "human-override", "staleness", "mode", "cooldown", "circuit-breaker");

    @TempDir
    Path dir;

    @Test
    void handle_allGuardsPass_auditsEachGuardInOrderThenExecutes() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            CommandProcessor.Handled handled = f.processor.handle(Commands.restart("k1", T0).build());

            assertThat(handled.outcome()).isEqualTo(Outcome.EXECUTED);
            assertThat(f.processControl.restartedIds()).containsExactly(CHECKOUT);
            assertThat(f.audit.decisions()).containsExactly(RECEIVED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED,
                    GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, EXECUTING, EXECUTED);
            assertThat(f.audit.withDecision(GUARD_PASSED)).extracting(AuditEvent::getGuard).containsExactlyElementsOf(ALL_GUARDS);
        }
    }

    @Test
    void killSwitch_engaged_blocksBeforeAnyOtherGuard() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir, KillSwitch.engaged(), GuardConfig.defaults())) {
            // also opted out and expired: the kill switch must be the one that answers
            RemediationCommand command = Commands.restart("k1", T0)
                    .setTargetContext(Commands.context("checkout", false, Map.of()))
                    .setExpiresAtMillis(T0.minusSeconds(1).toEpochMilli())
                    .build();

            CommandProcessor.Handled handled = f.processor.handle(command);

            assertThat(handled.outcome()).isEqualTo(Outcome.BLOCKED);
            assertThat(f.audit.decisions()).containsExactly(RECEIVED, GUARD_BLOCKED);
            assertThat(f.audit.withDecision(GUARD_BLOCKED).get(0).getGuard()).isEqualTo("kill-switch");
            assertThat(f.processControl.restarts).isEmpty();
            assertThat(f.processor.counters().blocked()).isEqualTo(1);
        }
    }

    @Test
    void killSwitch_unknownState_blocks() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir, KillSwitch.unknown(), GuardConfig.defaults())) {
            f.processor.handle(Commands.restart("k1", T0).build());

            assertThat(blockedBy(f)).isEqualTo("kill-switch");
            assertThat(f.processControl.restarts).isEmpty();
        }
    }

    @Test
    void killSwitch_released_allowsAgain() throws Exception {
        KillSwitch killSwitch = KillSwitch.engaged();
        try (ProcessorFixture f = new ProcessorFixture(dir, killSwitch, GuardConfig.defaults())) {
            f.processor.handle(Commands.restart("k1", T0).build());
            killSwitch.set(false, "alice", "incident over");
            f.processor.handle(Commands.restart("k2", T0).build());

            assertThat(f.processControl.restarts).hasSize(1);
            assertThat(f.audit.decisionsFor("k2")).endsWith(EXECUTED);
        }
    }

    @Test
    void optOut_autoRemediateFalse_blocks() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0)
                    .setTargetContext(Commands.context("checkout", false, Map.of()))
                    .build());

            assertThat(blockedBy(f)).isEqualTo("opt-out");
            assertThat(f.audit.decisions()).containsExactly(RECEIVED, GUARD_PASSED, GUARD_PASSED, GUARD_BLOCKED);
            assertThat(f.processControl.restarts).isEmpty();
        }
    }

    @Test
    void optOut_tagAutoRemediateFalse_blocks() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0)
                    .setTargetContext(Commands.context("checkout", true, Map.of("AutoRemediate", "false")))
                    .build());

            assertThat(blockedBy(f)).isEqualTo("opt-out");
            assertThat(f.audit.withDecision(GUARD_BLOCKED).get(0).getDetail()).contains("AutoRemediate=false");
            assertThat(f.processControl.restarts).isEmpty();
        }
    }

    @Test
    void staleness_expiredCommand_blocked() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            RemediationCommand command = Commands.restart("k1", T0).build();
            f.clock.set(T0.plus(Duration.ofMinutes(10)));

            f.processor.handle(command);

            assertThat(blockedBy(f)).isEqualTo("staleness");
            assertThat(f.audit.withDecision(GUARD_BLOCKED).get(0).getDetail()).startsWith("expired");
            assertThat(f.processControl.restarts).isEmpty();
        }
    }

    @Test
    void mode_dryRun_auditsDryRunWithoutExecuting() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            CommandProcessor.Handled handled = f.processor.handle(Commands.restart("k1", T0)
                    .setMode(ExecutionMode.DRY_RUN).build());

            assertThat(handled.outcome()).isEqualTo(Outcome.DRY_RUN);
            assertThat(f.audit.decisions()).containsExactly(RECEIVED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, DRY_RUN);
            AuditEvent dryRun = f.audit.withDecision(DRY_RUN).get(0);
            assertThat(dryRun.getGuard()).isEqualTo("mode");
            assertThat(dryRun.getDetail()).contains("would run process.restart on " + CHECKOUT);
            assertThat(f.processControl.restarts).isEmpty();
            assertThat(f.processor.counters().dryRuns()).isEqualTo(1);
        }
    }

    @Test
    void mode_workerForcedDryRun_overridesExecute() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir, KillSwitch.released(),
                new GuardConfig(Duration.ofMinutes(5), 3, true))) {
            f.processor.handle(Commands.restart("k1", T0).build());

            assertThat(f.audit.decisions()).endsWith(DRY_RUN);
            assertThat(f.audit.withDecision(DRY_RUN).get(0).getDetail()).contains("dry-run mode");
            assertThat(f.processControl.restarts).isEmpty();
        }
    }

    @Test
    void mode_needsApproval_awaitsApprovalWithoutExecuting_thenApprovedReissueExecutes() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            CommandProcessor.Handled held = f.processor.handle(Commands.restart("k1", T0)
                    .setMode(ExecutionMode.NEEDS_APPROVAL).build());
            assertThat(held.outcome()).isEqualTo(Outcome.AWAITING_APPROVAL);
            assertThat(f.audit.decisions()).endsWith(AuditDecision.AWAITING_APPROVAL);
            assertThat(f.processControl.restarts).isEmpty();

            // the same key re-issued as EXECUTE (an approval) is reconsidered, not a duplicate
            CommandProcessor.Handled approved = f.processor.handle(Commands.restart("k1", T0).build());

            assertThat(approved.outcome()).isEqualTo(Outcome.EXECUTED);
            assertThat(f.processControl.restarts).hasSize(1);
        }
    }

    @Test
    void cooldown_secondActionOnSameResourceWithinCooldown_blocked_thenAllowedAfter() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0).build());
            f.clock.advance(Duration.ofMinutes(4));
            f.processor.handle(Commands.restart("k2", f.clock.instant()).build());

            assertThat(f.audit.decisionsFor("k2")).endsWith(GUARD_BLOCKED);
            assertThat(f.audit.withDecision(GUARD_BLOCKED).get(0).getGuard()).isEqualTo("cooldown");
            assertThat(f.processControl.restarts).hasSize(1);

            f.clock.advance(Duration.ofMinutes(1));
            f.processor.handle(Commands.restart("k3", f.clock.instant()).build());

            assertThat(f.audit.decisionsFor("k3")).endsWith(EXECUTED);
            assertThat(f.processControl.restarts).hasSize(2);
        }
    }

    @Test
    void cooldown_otherResource_notAffected() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0).build());
            f.processor.handle(Commands.command("k2", "process.restart", "process:host-1/cart", "cart", T0, Map.of())
                    .build());

            assertThat(f.processControl.restartedIds()).containsExactly(CHECKOUT, "process:host-1/cart");
        }
    }

    @Test
    void breaker_fourthFailingAttemptInAnHour_opensBreaker_escalates_andIsNotExecuted() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processControl.failWith("exit code 1");
            for (int attempt = 1; attempt <= 3; attempt++) {
                CommandProcessor.Handled handled = f.processor.handle(
                        Commands.restart("k" + attempt, f.clock.instant()).build());
                assertThat(handled.outcome()).isEqualTo(Outcome.FAILED);
                f.clock.advance(Duration.ofMinutes(6));
            }
            assertThat(f.audit.withDecision(EXECUTION_FAILED)).hasSize(3);
            f.escalator.escalations.clear();

            CommandProcessor.Handled fourth = f.processor.handle(Commands.restart("k4", f.clock.instant()).build());

            assertThat(fourth.outcome()).isEqualTo(Outcome.BLOCKED);
            assertThat(f.processControl.restarts).hasSize(3);
            assertThat(f.audit.decisionsFor("k4")).containsExactly(RECEIVED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED, GUARD_PASSED,
                    GUARD_PASSED, GUARD_PASSED, GUARD_BLOCKED, BREAKER_OPENED, ESCALATED);
            AuditEvent blocked = f.audit.withDecision(GUARD_BLOCKED).get(0);
            assertThat(blocked.getGuard()).isEqualTo("circuit-breaker");
            assertThat(blocked.getDetail()).contains("3 attempt(s) in the last hour (3 failed)");
            assertThat(f.escalator.escalations).singleElement()
                    .satisfies(e -> assertThat(e.command().getIdempotencyKey()).isEqualTo("k4"));

            // an open breaker stays open, hours later, without escalating again
            f.clock.advance(Duration.ofHours(3));
            f.processor.handle(Commands.restart("k5", f.clock.instant()).build());
            assertThat(f.audit.decisionsFor("k5")).endsWith(GUARD_BLOCKED);
            assertThat(f.audit.decisionsFor("k5")).doesNotContain(ESCALATED);
            assertThat(f.processControl.restarts).hasSize(3);
        }
    }

    @Test
    void breaker_resetReallows_andAttemptsBeforeResetNoLongerCount() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            openBreaker(f);

            f.processor.resetBreaker(CHECKOUT, "looked at it");
            f.processControl.failWith(null);
            f.clock.advance(Duration.ofMinutes(6));
            CommandProcessor.Handled handled = f.processor.handle(Commands.restart("k5", f.clock.instant()).build());

            assertThat(handled.outcome()).isEqualTo(Outcome.EXECUTED);
            assertThat(f.processControl.restarts).hasSize(4);
            assertThat(f.audit.events).anySatisfy(e -> {
                assertThat(e.getGuard()).isEqualTo("circuit-breaker");
                assertThat(e.getAttributes()).containsEntry("event", "breaker-reset");
            });
        }
    }

    @Test
    void breaker_openState_survivesRestart() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            openBreaker(f);

            f.restart();
            f.processControl.failWith(null);
            f.clock.advance(Duration.ofMinutes(6));
            f.processor.handle(Commands.restart("k5", f.clock.instant()).build());

            assertThat(f.audit.decisionsFor("k5")).endsWith(GUARD_BLOCKED);
            assertThat(f.audit.withDecision(GUARD_BLOCKED)).last()
                    .satisfies(e -> assertThat(e.getDetail()).contains("circuit breaker open since"));
            assertThat(f.processControl.restarts).hasSize(3);
        }
    }

    @Test
    void cooldownAndAttemptBudget_surviveRestart() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            f.processor.handle(Commands.restart("k1", T0).build());

            f.restart();
            f.clock.advance(Duration.ofMinutes(1));
            f.processor.handle(Commands.restart("k2", f.clock.instant()).build());

            assertThat(f.audit.withDecision(GUARD_BLOCKED)).singleElement()
                    .satisfies(e -> assertThat(e.getGuard()).isEqualTo("cooldown"));
        }
    }

    @Test
    void breaker_attemptsOlderThanAnHour_doNotCount() throws Exception {
        try (ProcessorFixture f = new ProcessorFixture(dir)) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                f.processor.handle(Commands.restart("k" + attempt, f.clock.instant()).build());
                f.clock.advance(Duration.ofMinutes(25));
            }
            // attempts at 0, 25 and 50 minutes; now 75 minutes: only two fall in the last hour
            f.processor.handle(Commands.restart("k4", f.clock.instant()).build());

            assertThat(f.processControl.restarts).hasSize(4);
        }
    }

    private static void openBreaker(ProcessorFixture f) {
        f.processControl.failWith("exit code 1");
        for (int attempt = 1; attempt <= 4; attempt++) {
            f.processor.handle(Commands.restart("k" + attempt, f.clock.instant()).build());
            f.clock.advance(Duration.ofMinutes(6));
        }
        assertThat(f.audit.decisions()).contains(BREAKER_OPENED);
        assertThat(f.processControl.restarts).hasSize(3);
    }

    private static String blockedBy(ProcessorFixture f) {
        List<AuditEvent> blocked = f.audit.withDecision(GUARD_BLOCKED);
        assertThat(blocked).hasSize(1);
        return blocked.get(0).getGuard();
    }
}
