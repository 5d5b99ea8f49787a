package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTED;
import static io.autonomic.schemas.avro.AuditDecision.RECEIVED;
import static io.autonomic.schemas.avro.AuditDecision.REJECTED;
import static io.autonomic.schemas.avro.AuditDecision.SECURITY_MODE;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.playbook.KnownActions;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.process.AllowedDirectories;
import io.autonomic.act.process.ProcessExecutor;
import io.autonomic.act.security.CommandAuthenticator;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.act.testing.TestingEscalator;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.act.testing.TestingProcessControl;
import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signature checks come before the ledger and every guard: a refused command never reaches an executor. */
class CommandProcessorSecurityTest {

    private static final CommandSignature KEY =
            CommandSignature.withKey("detect-and-worker-share-this-key".getBytes(StandardCharsets.UTF_8));
    private static final CommandSignature FORGER =
            CommandSignature.withKey("an-attacker-guessed-another-key!".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final TestingAuditLog audit = new TestingAuditLog();
    private final TestingProcessControl processControl = new TestingProcessControl();
    private ExecutionLedger ledger;
    private CommandProcessor processor;

    @BeforeEach
    void start() throws Exception {
        ledger = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
        processor = CommandProcessor.builder()
                .workerId("secure-worker")
                .clock(clock)
                .executor(new ProcessExecutor(processControl, AllowedDirectories.none(), clock))
                .guards(Guards.standard(KillSwitch.released(), GuardConfig.defaults()))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(new TestingHealthView())
                .escalator(new TestingEscalator())
                .authenticator(CommandAuthenticator.signed(KEY, true, Duration.ofMinutes(15), clock))
                .build();
    }

    @AfterEach
    void close() throws Exception {
        ledger.close();
    }

    @Test
    void handle_signedCommand_executed() {
        CommandProcessor.Handled handled = processor.handle(KEY.signed(Commands.restart("signed-1", T0).build()));

        assertThat(handled.outcome()).isEqualTo(CommandProcessor.Outcome.EXECUTED);
        assertThat(processControl.restartedIds()).containsExactly(CHECKOUT);
    }

    @Test
    void handle_forgedUnsignedAndTampered_rejectedWithReason_neverExecuted_notInLedger() {
        RemediationCommand forged = FORGER.signed(Commands.restart("forged-1", T0).build());
        RemediationCommand unsigned = Commands.restart("unsigned-1", T0).build();
        RemediationCommand tampered = RemediationCommand.newBuilder(KEY.signed(Commands.restart("tampered-1", T0).build()))
                .setAction("process.remove-files").setParameters(Map.of("directory", "/", "pattern", "*")).build();

        assertThat(processor.handle(forged).reason()).isEqualTo("forged");
        assertThat(processor.handle(unsigned).reason()).isEqualTo("unsigned");
        assertThat(processor.handle(tampered).reason()).isEqualTo("forged");

        assertThat(processControl.restarts).isEmpty();
        assertThat(audit.decisionsFor("forged-1")).containsExactly(RECEIVED, REJECTED);
        assertThat(audit.withDecision(REJECTED)).extracting(e -> e.getAttributes().get("reason"))
                .containsExactly("forged", "unsigned", "forged");
        assertThat(ledger.find("forged-1")).isEmpty();
        assertThat(processor.counters().rejected()).isEqualTo(3);
    }

    @Test
    void handle_replayedCommandIdWithNewContent_rejected_originalStillDeduplicated() {
        RemediationCommand original = KEY.signed(Commands.restart("replay-1", T0).build());
        clock.advance(Duration.ofMinutes(20));
        // a later incident reusing the command id (a captured command re-signed by a compromised producer or a bug)
        RemediationCommand reissued = KEY.signed(Commands.restart("replay-1", T0.plus(Duration.ofMinutes(20)))
                .setParameters(Map.of("grace", "0s")).build());
        processor.handle(KEY.signed(Commands.restart("replay-1", T0.plus(Duration.ofMinutes(19))).build()));

        CommandProcessor.Handled second = processor.handle(reissued);
        CommandProcessor.Handled stale = processor.handle(original);

        assertThat(second.reason()).isEqualTo("replayed");
        assertThat(stale.reason()).isEqualTo("outside-window");
        assertThat(processControl.restarts).hasSize(1);
    }

    @Test
    void handle_actionItsPlaybookDoesNotDeclare_rejectedBeforeAnyGuard() throws Exception {
        ledger.close();
        ledger = ExecutionLedger.open(dir.resolve("ledger-2.jsonl"));
        processor = CommandProcessor.builder()
                .workerId("playbook-worker")
                .clock(clock)
                .executor(new ProcessExecutor(processControl, AllowedDirectories.none(), clock))
                .guards(Guards.standard(KillSwitch.released(), GuardConfig.defaults()))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(new TestingHealthView())
                .escalator(new TestingEscalator())
                .playbooks(PlaybookCatalog.defaults(KnownActions.ALL, true))
                .build();
        // a signed-looking intent that smuggles file removal into the restart playbook
        RemediationCommand smuggled = Commands.command("smuggle-1", "process.remove-files", CHECKOUT, "checkout", T0,
                Map.of("directory", "/var/lib", "pattern", "*")).build();

        CommandProcessor.Handled handled = processor.handle(smuggled);
        CommandProcessor.Handled declared = processor.handle(Commands.restart("declared-1", T0).build());

        assertThat(handled.outcome()).isEqualTo(CommandProcessor.Outcome.REJECTED);
        assertThat(handled.reason()).isEqualTo("undeclared-action");
        assertThat(audit.decisionsFor("smuggle-1")).containsExactly(RECEIVED, REJECTED);
        assertThat(declared.outcome()).isEqualTo(CommandProcessor.Outcome.EXECUTED);
        assertThat(processControl.restartedIds()).containsExactly(CHECKOUT);
    }

    @Test
    void announceSecurity_recordsTheMode() {
        processor.announceSecurity();

        AuditEvent event = audit.withDecision(SECURITY_MODE).get(0);
        assertThat(event.getAttributes()).containsEntry("signing", "true").containsEntry("requireSignatures", "true");
        assertThat(audit.decisions()).doesNotContain(EXECUTED);
    }
}
