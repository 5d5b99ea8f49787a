package io.autonomic.act.guard;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.playbook.KnownActions;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cooldown and circuit breaker taking a playbook's own {@code cooldown} / {@code maxAttempts} when declared. */
class PlaybookLimitsTest {

    /** restart-on-5xx (the playbook {@link Commands} uses) declares both; plain-restart declares neither. */
    private static final PlaybookCatalog CATALOG = PlaybookCatalog.parse("""
            playbooks:
              - name: restart-on-5xx
                mode: execute
                trigger: {incidentType: http-5xx}
                cooldown: 10m
                maxAttempts: 2
                steps: [{action: process.restart}]
              - name: plain-restart
                mode: execute
                trigger: {incidentType: http-5xx}
                steps: [{action: process.restart}]
            """, "test.yaml", KnownActions.ALL, true);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private ExecutionLedger history;

    @BeforeEach
    void openLedger() throws Exception {
        history = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
    }

    @AfterEach
    void closeLedger() throws Exception {
        history.close();
    }

    private GuardContext now() {
        return new GuardContext(clock.instant(), history);
    }

    private static RemediationCommand undeclared(String key) {
        return Commands.restart(key, T0).setPlaybook("plain-restart").build();
    }

    @Test
    void cooldown_playbookDeclaresTenMinutes_blocksAtSixMinutesDespiteWorkerDefaultOfFive() {
        List<Guard> chain = Guards.standard(KillSwitch.released(), GuardConfig.defaults(), List.of(), new Overrides(),
                null, CATALOG);
        Guard cooldown = chain.stream().filter(g -> g.name().equals(CooldownGuard.NAME)).findFirst().orElseThrow();
        assertThat(GuardConfig.defaults().cooldown()).isEqualTo(Duration.ofMinutes(5));
        history.started(Commands.restart("k1", T0).build(), T0);
        clock.advance(Duration.ofMinutes(6));

        GuardDecision blocked = cooldown.check(Commands.restart("k2", T0).build(), now());

        assertThat(blocked.passed()).isFalse();
        assertThat(blocked.reason()).contains("next allowed from " + T0.plus(Duration.ofMinutes(10)))
                .contains("playbook restart-on-5xx");
        // a playbook without its own cooldown gets the worker-wide 5 minutes, with the audit text unchanged
        assertThat(cooldown.check(undeclared("k3"), now()).passed()).isTrue();
        clock.set(T0.plus(Duration.ofMinutes(10)).minusMillis(1));
        assertThat(cooldown.check(Commands.restart("k2", T0).build(), now()).passed()).isFalse();
        clock.set(T0.plus(Duration.ofMinutes(10)));
        assertThat(cooldown.check(Commands.restart("k2", T0).build(), now()).passed()).isTrue();
    }

    @Test
    void cooldown_undeclaredPlaybookBlocked_keepsTheWorkerWideMessage() {
        CooldownGuard guard = new CooldownGuard(Duration.ofMinutes(5), CATALOG);
        history.started(undeclared("k1"), T0);
        clock.advance(Duration.ofMinutes(4));

        GuardDecision blocked = guard.check(undeclared("k2"), now());

        assertThat(blocked.reason()).isEqualTo("cooldown: last action at " + T0 + ", next allowed from "
                + T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void circuitBreaker_playbookMaxAttemptsTwo_opensOnTheThirdAttemptWithinTheHour() {
        CircuitBreakerGuard guard = new CircuitBreakerGuard(GuardConfig.DEFAULT_MAX_ATTEMPTS_PER_HOUR, CATALOG);
        assertThat(GuardConfig.DEFAULT_MAX_ATTEMPTS_PER_HOUR).isEqualTo(3);
        for (String key : List.of("k1", "k2")) {
            RemediationCommand attempt = Commands.restart(key, T0).build();
            assertThat(guard.check(attempt, now()).passed()).as(key).isTrue();
            history.started(attempt, clock.instant());
            clock.advance(Duration.ofMinutes(20));
        }
        // the worker-wide budget of 3 would still allow a third attempt to a playbook without its own maxAttempts
        assertThat(guard.check(undeclared("other"), now()).passed()).isTrue();

        GuardDecision third = guard.check(Commands.restart("k3", T0).build(), now());

        assertThat(third.opensBreaker()).isTrue();
        assertThat(third.reason()).contains("2 attempt(s) in the last hour").contains("at most 2 allowed by playbook "
                + "restart-on-5xx");
        assertThat(history.breaker(CHECKOUT)).hasValueSatisfying(b -> assertThat(b.open()).isTrue());
    }

    @Test
    void circuitBreaker_withoutCatalog_usesTheWorkerWideBudget() {
        CircuitBreakerGuard guard = new CircuitBreakerGuard(3, null);
        history.started(Commands.restart("k1", T0).build(), T0);
        history.started(Commands.restart("k2", T0).build(), T0.plusSeconds(600));
        clock.advance(Duration.ofMinutes(20));

        assertThat(guard.check(Commands.restart("k3", T0).build(), now()).passed()).isTrue();
    }
}
