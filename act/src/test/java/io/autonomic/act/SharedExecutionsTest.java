package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.DUPLICATE;
import static io.autonomic.schemas.avro.AuditDecision.ESCALATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.ledger.KafkaSharedExecutions;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.KafkaTopics;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.act.testing.TestingEscalator;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.testing.SharedKafka;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two workers with their own ledger files sharing the executions topic of the real broker: a command redelivered
 * to the other worker after a rebalance (or after the first one crashed mid-action) is not executed again.
 */
class SharedExecutionsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final String bootstrap = SharedKafka.bootstrapServers();
    private final MutableClock clock = new MutableClock(T0);
    private final TestingAuditLog audit = new TestingAuditLog();
    private final TestingEscalator escalator = new TestingEscalator();
    private final CrashTest.CrashingExecutor executor = new CrashTest.CrashingExecutor();

    private CommandProcessor worker(String id, ExecutionLedger ledger, KafkaSharedExecutions shared) {
        return CommandProcessor.builder()
                .workerId(id)
                .clock(clock)
                .executor(executor)
                .guards(Guards.standard(KillSwitch.released(), GuardConfig.defaults()))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(new TestingHealthView())
                .escalator(escalator)
                .sharedExecutions(shared)
                .build();
    }

    @Test
    void redeliveryToAnotherWorker_afterSuccess_isDuplicate_afterCrash_isInDoubt() throws Exception {
        Topics topics = KafkaTopics.unique("shared-executions");
        RemediationCommand done = Commands.restart("shared-done", T0).build();
        RemediationCommand crashed = Commands.command("shared-crash", "process.restart", "process:host-2/checkout",
                "checkout", T0, java.util.Map.of()).build();
        try (ExecutionLedger ledgerA = ExecutionLedger.open(dir.resolve("a.jsonl"));
                KafkaSharedExecutions sharedA = KafkaSharedExecutions.start(bootstrap, topics.executions(), "a")) {
            CommandProcessor a = worker("worker-a", ledgerA, sharedA);
            a.handle(done);
            executor.crashAfterEffect = true;
            assertThatThrownBy(() -> a.handle(crashed)).isInstanceOf(CrashTest.SimulatedCrash.class);
            executor.crashAfterEffect = false;
        }

        try (ExecutionLedger ledgerB = ExecutionLedger.open(dir.resolve("b.jsonl"));
                KafkaSharedExecutions sharedB = KafkaSharedExecutions.start(bootstrap, topics.executions(), "b")) {
            assertThat(sharedB.awaitCaughtUp(TIMEOUT)).isTrue();
            await().atMost(TIMEOUT).until(() -> sharedB.find("shared-crash").isPresent());
            CommandProcessor b = worker("worker-b", ledgerB, sharedB);

            CommandProcessor.Handled again = b.handle(done);
            CommandProcessor.Handled inDoubt = b.handle(crashed);

            assertThat(again.outcome()).isEqualTo(CommandProcessor.Outcome.DUPLICATE);
            assertThat(again.detail()).contains("worker-a").contains("SUCCEEDED");
            assertThat(inDoubt.reason()).isEqualTo("in-doubt");
            assertThat(executor.effects).containsExactly(CHECKOUT, "process:host-2/checkout");
            assertThat(audit.decisionsFor("shared-crash")).endsWith(DUPLICATE, ESCALATED);
            assertThat(b.handle(done).outcome()).isEqualTo(CommandProcessor.Outcome.DUPLICATE);
        }
    }
}
