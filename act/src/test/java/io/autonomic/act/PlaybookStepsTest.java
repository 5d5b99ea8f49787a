package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTED;
import static io.autonomic.schemas.avro.AuditDecision.RESOLVED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFICATION_FAILED;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.playbook.KnownActions;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.act.testing.TestingEscalator;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.HealthStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verification loop: a failed step runs the playbook's next one; the last failure escalates with the history. */
class PlaybookStepsTest {

    private static final String PLAYBOOK = """
            playbooks:
              - name: restart-on-5xx
                mode: execute
                trigger: {incidentType: http-5xx}
                steps:
                  - {action: process.restart, verifyWithin: 60s, onFailure: next}
                  - {action: k8s.rollout-restart, parameters: {strategy: rolling}, verifyWithin: 2m, onFailure: next}
                  - {action: notify.slack, verifyWithin: 1m, onFailure: escalate}
            """;

    /** Records every request; stands for the process, Kubernetes and Slack executors. */
    static final class RecordingExecutor implements ActionExecutor {
        final List<ActionRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public Set<String> actions() {
            return Set.of("process.restart", "k8s.rollout-restart", "notify.slack");
        }

        @Override
        public ActionResult execute(ActionRequest request) {
            requests.add(request);
            return ActionResult.success(request.action() + " done");
        }
    }

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final TestingAuditLog audit = new TestingAuditLog();
    private final TestingEscalator escalator = new TestingEscalator();
    private final TestingHealthView health = new TestingHealthView();
    private final RecordingExecutor executor = new RecordingExecutor();
    private ExecutionLedger ledger;
    private CommandProcessor processor;

    @BeforeEach
    void start() throws Exception {
        ledger = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
        processor = CommandProcessor.builder()
                .workerId("steps")
                .clock(clock)
                .executor(executor)
                .guards(Guards.standard(KillSwitch.released(), GuardConfig.defaults()))
                .ledger(ledger)
                .auditLog(audit)
                .healthView(health)
                .escalator(escalator)
                .playbooks(PlaybookCatalog.parse(PLAYBOOK, "steps.yaml", KnownActions.ALL, true))
                .build();
    }

    @AfterEach
    void close() throws Exception {
        ledger.close();
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        processor.checkVerifications();
    }

    @Test
    void firstStepFails_secondStepRunsDespiteCooldown_andResolves() {
        processor.handle(Commands.restart("inc-1/restart-on-5xx/0", T0).build());
        // the first step's deadline is the command's own (two minutes), later ones come from the playbook
        advance(Duration.ofMinutes(2).plusSeconds(1));

        assertThat(executor.requests).extracting(ActionRequest::action)
                .containsExactly("process.restart", "k8s.rollout-restart");
        assertThat(executor.requests.get(1).parameters()).containsEntry("strategy", "rolling");
        assertThat(executor.requests.get(1).idempotencyKey()).isEqualTo("inc-inc-1/restart-on-5xx/0/restart-on-5xx/1");
        health.put(CHECKOUT, HealthStatus.HEALTHY, clock.instant().plusSeconds(30));
        advance(Duration.ofSeconds(40));

        List<AuditEvent> secondStep = audit.events.stream()
                .filter(e -> "k8s.rollout-restart".equals(e.getAction())).toList();
        assertThat(secondStep).extracting(AuditEvent::getDecision).contains(EXECUTED, RESOLVED);
        assertThat(secondStep).anySatisfy(e -> assertThat(e.getAttributes()).containsEntry("waived", "true"));
        assertThat(escalator.escalations).isEmpty();
    }

    @Test
    void everyStepFails_lastEscalatesWithTheFullHistory() {
        processor.handle(Commands.restart("inc-2/restart-on-5xx/0", T0).build());
        advance(Duration.ofMinutes(2).plusSeconds(1));
        advance(Duration.ofMinutes(2).plusSeconds(1));
        advance(Duration.ofSeconds(61));

        assertThat(executor.requests).extracting(ActionRequest::action)
                .containsExactly("process.restart", "k8s.rollout-restart", "notify.slack");
        assertThat(audit.withDecision(VERIFICATION_FAILED)).hasSize(3);
        assertThat(escalator.reasons()).singleElement().asString()
                .contains("exhausted").contains("process.restart at").contains("k8s.rollout-restart at")
                .contains("notify.slack at");
    }
}
