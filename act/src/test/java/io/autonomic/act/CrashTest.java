package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.DUPLICATE;
import static io.autonomic.schemas.avro.AuditDecision.ESCALATED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTING;
import static io.autonomic.schemas.avro.AuditDecision.RESOLVED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.act.testing.TestingEscalator;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.schemas.avro.ActionOutcome;
import io.autonomic.schemas.avro.ActionOutcomeStatus;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker killed between "executing" and "done": simulated by an executor that carries out its effect and then
 * throws a {@link VirtualMachineError} (which the processor, like a dying JVM, does not turn into an outcome), then a
 * new processor on the same ledger file gets the redelivered command.
 */
class CrashTest {

    /** Stands for the JVM dying: the processor lets virtual-machine errors through untouched. */
    static final class SimulatedCrash extends VirtualMachineError {
        SimulatedCrash() {
            super("simulated crash");
        }
    }

    /** Restarts (records) and then, while armed, crashes before it can report. */
    static final class CrashingExecutor implements ActionExecutor {
        final List<String> effects = new CopyOnWriteArrayList<>();
        volatile boolean crashAfterEffect;
        volatile boolean crashBeforeEffect;

        @Override
        public Set<String> actions() {
            return Set.of("process.restart");
        }

        @Override
        public ActionResult execute(ActionRequest request) {
            if (crashBeforeEffect) {
                throw new SimulatedCrash();
            }
            effects.add(request.target().getId());
            if (crashAfterEffect) {
                throw new SimulatedCrash();
            }
            return ActionResult.success("restarted " + request.target().getId());
        }
    }

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final TestingAuditLog audit = new TestingAuditLog();
    private final TestingEscalator escalator = new TestingEscalator();
    private final TestingHealthView health = new TestingHealthView();
    private final CrashingExecutor executor = new CrashingExecutor();
    private final List<ActionOutcome> outcomes = new CopyOnWriteArrayList<>();

    private CommandProcessor worker(ExecutionLedger ledger) {
        return CommandProcessor.builder()
                .workerId("crashy")
                .clock(clock)
                .executor(executor)
                .guards(Guards.standard(KillSwitch.released(), GuardConfig.defaults()))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(health)
                .escalator(escalator)
                .outcomes(outcomes::add)
                .build();
    }

    @Test
    void crashAfterTheCall_restart_notRepeated_andTheIncidentStillResolves() throws Exception {
        RemediationCommand command = Commands.restart("crash-1", T0).build();
        ExecutionLedger first = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
        executor.crashAfterEffect = true;
        assertThatThrownBy(() -> worker(first).handle(command)).isInstanceOf(SimulatedCrash.class);
        first.close();

        executor.crashAfterEffect = false;
        clock.advance(Duration.ofSeconds(20));
        try (ExecutionLedger second = ExecutionLedger.open(dir.resolve("ledger.jsonl"))) {
            CommandProcessor restarted = worker(second);
            CommandProcessor.Handled redelivered = restarted.handle(command);
            health.put(CHECKOUT, HealthStatus.HEALTHY, T0.plusSeconds(15));
            restarted.checkVerifications();

            assertThat(redelivered.reason()).isEqualTo("in-doubt");
            assertThat(executor.effects).containsExactly(CHECKOUT);
            assertThat(audit.decisionsFor("crash-1")).containsSubsequence(EXECUTING, DUPLICATE, ESCALATED, VERIFIED,
                    RESOLVED);
            assertThat(restarted.pendingVerifications()).isZero();
            assertThat(outcomes).extracting(ActionOutcome::getOutcome)
                    .containsExactly(ActionOutcomeStatus.ESCALATED, ActionOutcomeStatus.SUCCEEDED);
            assertThat(outcomes.get(1).getRecoveryMillis()).isEqualTo(15_000L);
        }
    }

    @Test
    void crashBeforeTheCall_restart_notExecuted_escalatedInDoubt_verificationFailsAtDeadline() throws Exception {
        RemediationCommand command = Commands.restart("crash-2", T0).build();
        ExecutionLedger first = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
        executor.crashBeforeEffect = true;
        assertThatThrownBy(() -> worker(first).handle(command)).isInstanceOf(SimulatedCrash.class);
        first.close();

        executor.crashBeforeEffect = false;
        try (ExecutionLedger second = ExecutionLedger.open(dir.resolve("ledger.jsonl"))) {
            CommandProcessor restarted = worker(second);
            restarted.handle(command);
            clock.advance(Duration.ofMinutes(3));
            restarted.checkVerifications();

            assertThat(executor.effects).isEmpty();
            assertThat(escalator.reasons()).hasSize(2).first().asString().startsWith("in doubt");
            assertThat(audit.decisionsFor("crash-2")).endsWith(ESCALATED).doesNotContain(RESOLVED);
            assertThat(outcomes).extracting(ActionOutcome::getOutcome)
                    .containsExactly(ActionOutcomeStatus.ESCALATED, ActionOutcomeStatus.FAILED);
        }
    }
}
