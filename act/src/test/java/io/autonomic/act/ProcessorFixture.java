package io.autonomic.act;

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
import java.io.IOException;
import java.nio.file.Path;

/** A {@link CommandProcessor} wired to fakes, a real ledger file and a mutable clock starting at T0. */
final class ProcessorFixture implements AutoCloseable {

    final Path ledgerFile;
    final MutableClock clock = new MutableClock(Commands.T0);
    final TestingAuditLog audit = new TestingAuditLog();
    final TestingEscalator escalator = new TestingEscalator();
    final TestingHealthView health = new TestingHealthView();
    final TestingProcessControl processControl = new TestingProcessControl();
    final KillSwitch killSwitch;
    final GuardConfig config;
    ExecutionLedger ledger;
    CommandProcessor processor;

    ProcessorFixture(Path dir) throws IOException {
        this(dir, KillSwitch.released(), GuardConfig.defaults());
    }

    ProcessorFixture(Path dir, KillSwitch killSwitch, GuardConfig config) throws IOException {
        this.ledgerFile = dir.resolve("ledger.jsonl");
        this.killSwitch = killSwitch;
        this.config = config;
        start();
    }

    private void start() throws IOException {
        ledger = ExecutionLedger.open(ledgerFile);
        processor = CommandProcessor.builder()
                .workerId("test-worker")
                .clock(clock)
                .executor(new ProcessExecutor(processControl, AllowedDirectories.none(), clock))
                .guards(Guards.standard(killSwitch, config))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(health)
                .escalator(escalator)
                .build();
    }

    /** Simulates a worker restart: the ledger is closed and reloaded from its file, memory is lost. */
    void restart() throws IOException {
        ledger.close();
        start();
    }

    @Override
    public void close() throws IOException {
        ledger.close();
    }
}
