package io.autonomic.act.guard;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.AuditDecision;
import io.autonomic.schemas.avro.ControlSignal;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each guard on its own, with fixed instants. */
class GuardsTest {

    @TempDir
    Path dir;

    private ExecutionLedger history;

    @BeforeEach
    void openLedger() throws Exception {
        history = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
    }

    @AfterEach
    void closeLedger() throws Exception {
        history.close();
    }

    private GuardContext at(java.time.Instant now) {
        return new GuardContext(now, history);
    }

    @Test
    void standard_hasTheDocumentedOrder() {
        assertThat(Guards.standard(KillSwitch.released(), GuardConfig.defaults())).extracting(Guard::name)
                .containsExactly("kill-switch", "maintenance-window", "opt-out", "human-override", "staleness", "mode", "cooldown", "circuit-breaker");
    }

    @Test
    void staleness_blocksAtExpiry_passesJustBefore() {
        RemediationCommand command = Commands.restart("k", T0).build();
        StalenessGuard guard = new StalenessGuard();

        assertThat(guard.check(command, at(T0.plus(Duration.ofMinutes(10)).minusMillis(1))).passed()).isTrue();
        GuardDecision expired = guard.check(command, at(T0.plus(Duration.ofMinutes(10))));
        assertThat(expired.passed()).isFalse();
        assertThat(expired.reason()).startsWith("expired");
    }

    @Test
    void optOut_tagMatchIgnoresCase_otherTagsPass() {
        OptOutGuard guard = new OptOutGuard();
        RemediationCommand tagged = Commands.restart("k", T0)
                .setTargetContext(Commands.context("checkout", true, Map.of("autoremediate", "FALSE"))).build();
        RemediationCommand other = Commands.restart("k", T0)
                .setTargetContext(Commands.context("checkout", true, Map.of("AutoRemediate", "true"))).build();

        assertThat(guard.check(tagged, at(T0)).passed()).isFalse();
        assertThat(guard.check(other, at(T0)).passed()).isTrue();
    }

    @Test
    void mode_mapsEachModeToItsAuditDecision() {
        ModeGuard guard = new ModeGuard(false);

        assertThat(guard.check(Commands.restart("k", T0).setMode(ExecutionMode.EXECUTE).build(), at(T0)).passed()).isTrue();
        assertThat(guard.check(Commands.restart("k", T0).setMode(ExecutionMode.DRY_RUN).build(), at(T0)).auditDecision())
                .isEqualTo(AuditDecision.DRY_RUN);
        assertThat(guard.check(Commands.restart("k", T0).setMode(ExecutionMode.NEEDS_APPROVAL).build(), at(T0))
                .auditDecision()).isEqualTo(AuditDecision.AWAITING_APPROVAL);
        assertThat(new ModeGuard(true).check(Commands.restart("k", T0).build(), at(T0)).auditDecision())
                .isEqualTo(AuditDecision.DRY_RUN);
    }

    @Test
    void cooldown_measuresFromLastStart() {
        history.started(Commands.restart("k1", T0).build(), T0);
        CooldownGuard guard = new CooldownGuard(Duration.ofMinutes(5));
        RemediationCommand next = Commands.restart("k2", T0).build();

        assertThat(guard.check(next, at(T0.plus(Duration.ofMinutes(5)).minusMillis(1))).passed()).isFalse();
        assertThat(guard.check(next, at(T0.plus(Duration.ofMinutes(5)))).passed()).isTrue();
    }

    @Test
    void circuitBreaker_opensOnceBudgetSpent_staysOpenUntilReset() {
        CircuitBreakerGuard guard = new CircuitBreakerGuard(2);
        history.started(Commands.restart("k1", T0).build(), T0);
        history.started(Commands.restart("k2", T0).build(), T0.plusSeconds(600));
        RemediationCommand next = Commands.restart("k3", T0).build();

        GuardDecision decision = guard.check(next, at(T0.plusSeconds(1200)));

        assertThat(decision.opensBreaker()).isTrue();
        assertThat(history.breaker(CHECKOUT)).hasValueSatisfying(b -> assertThat(b.open()).isTrue());
        // sliding window: k1 has left the hour, but an open breaker does not close by itself
        GuardDecision later = guard.check(next, at(T0.plus(Duration.ofHours(5))));
        assertThat(later.passed()).isFalse();
        assertThat(later.opensBreaker()).isFalse();

        history.resetBreaker(CHECKOUT, "checked", T0.plus(Duration.ofHours(5)));
        assertThat(guard.check(next, at(T0.plus(Duration.ofHours(5)))).passed()).isTrue();
    }

    @Test
    void killSwitch_guardFollowsSwitch() {
        KillSwitch killSwitch = KillSwitch.unknown();
        KillSwitchGuard guard = new KillSwitchGuard(killSwitch);
        RemediationCommand command = Commands.restart("k", T0).build();

        assertThat(guard.check(command, at(T0)).reason()).contains("not yet read");
        killSwitch.markKnown();
        assertThat(guard.check(command, at(T0)).passed()).isTrue();
        killSwitch.set(true, "alice", "freeze");
        assertThat(guard.check(command, at(T0)).reason()).isEqualTo("kill switch engaged");
    }

    @Test
    void controlApplier_beforeCaughtUp_appliesOnlyTheLatestSignal() {
        KillSwitch killSwitch = KillSwitch.unknown();
        List<KillSwitch.Change> changes = new ArrayList<>();
        killSwitch.onChange(changes::add);
        ControlTopicListener.Applier applier = new ControlTopicListener.Applier(killSwitch);

        applier.onRecord("kill-switch", signal(false, "bob"));
        applier.onRecord("kill-switch", signal(true, "alice"));
        applier.onRecord("other-control", ControlSignal.newBuilder(signal(false, "carol")).setName("other-control").build());
        assertThat(killSwitch.isKnown()).isFalse();

        applier.onCaughtUp();
        assertThat(killSwitch.isEngaged()).isTrue();
        assertThat(changes).extracting(KillSwitch.Change::actor).containsExactly("alice");

        applier.onRecord("kill-switch", null);
        assertThat(killSwitch.isEngaged()).isFalse();
    }

    @Test
    void controlApplier_noSignal_marksReleased() {
        KillSwitch killSwitch = KillSwitch.unknown();
        ControlTopicListener.Applier applier = new ControlTopicListener.Applier(killSwitch);

        applier.onCaughtUp();

        assertThat(killSwitch.isKnown()).isTrue();
        assertThat(killSwitch.isEngaged()).isFalse();
    }

    private static ControlSignal signal(boolean enabled, String actor) {
        return ControlSignal.newBuilder()
                .setName("kill-switch")
                .setEnabled(enabled)
                .setActor(actor)
                .setReason("test")
                .setAtMillis(T0.toEpochMilli())
                .build();
    }
}
