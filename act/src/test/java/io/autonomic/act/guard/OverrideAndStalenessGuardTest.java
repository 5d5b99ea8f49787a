package io.autonomic.act.guard;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.schemas.avro.ControlSignal;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverrideAndStalenessGuardTest {

    @TempDir
    Path dir;

    private ExecutionLedger history;
    private final Overrides overrides = new Overrides();
    private final RemediationCommand command = Commands.restart("k1", T0).build();

    @BeforeEach
    void open() throws Exception {
        history = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
    }

    @AfterEach
    void close() throws Exception {
        history.close();
    }

    private GuardContext at(Instant now) {
        return new GuardContext(now, history);
    }

    private static ControlSignal override(String resourceId, boolean enabled, Instant at) {
        return ControlSignal.newBuilder().setName(Overrides.SIGNAL_PREFIX + resourceId).setEnabled(enabled)
                .setActor("bob").setReason("replacing the disk").setAtMillis(at.toEpochMilli()).build();
    }

    @Test
    void override_fromControlSignal_pausesForTheDuration_thenLapses() {
        ControlTopicListener.Applier applier = new ControlTopicListener.Applier(KillSwitch.unknown(), overrides,
                Duration.ofMinutes(30));
        OverrideGuard guard = new OverrideGuard(overrides);

        applier.onRecord(Overrides.SIGNAL_PREFIX + CHECKOUT, override(CHECKOUT, true, T0));

        GuardDecision during = guard.check(command, at(T0.plus(Duration.ofMinutes(10))));
        assertThat(during.passed()).isFalse();
        assertThat(during.reason()).contains("bob").contains("replacing the disk").contains("2025-03-01T10:30:00Z");
        assertThat(guard.check(command, at(T0.plus(Duration.ofMinutes(30)))).passed()).isTrue();
    }

    @Test
    void override_disabledSignalOrTombstone_lifts() {
        ControlTopicListener.Applier applier = new ControlTopicListener.Applier(KillSwitch.released(), overrides,
                Duration.ofHours(1));
        OverrideGuard guard = new OverrideGuard(overrides);
        applier.onRecord(Overrides.SIGNAL_PREFIX + CHECKOUT, override(CHECKOUT, true, T0));
        applier.onRecord(Overrides.SIGNAL_PREFIX + CHECKOUT, override(CHECKOUT, false, T0.plusSeconds(5)));
        assertThat(guard.check(command, at(T0.plusSeconds(10))).passed()).isTrue();

        applier.onRecord(Overrides.SIGNAL_PREFIX + CHECKOUT, override(CHECKOUT, true, T0));
        applier.onRecord(Overrides.SIGNAL_PREFIX + CHECKOUT, null);

        assertThat(guard.check(command, at(T0.plusSeconds(10))).passed()).isTrue();
    }

    @Test
    void override_otherResource_notAffected() {
        overrides.set("process:host-1/cart", T0.plus(Duration.ofHours(1)), "bob", "");

        assertThat(new OverrideGuard(overrides).check(command, at(T0)).passed()).isTrue();
    }

    @Test
    void staleness_healthySinceAfterIncidentOpened_blocks_healthyBeforeDoesNot() {
        TestingHealthView health = new TestingHealthView();
        StalenessGuard guard = new StalenessGuard(health);
        health.put(CHECKOUT, HealthStatus.HEALTHY, T0.minusSeconds(60));
        assertThat(guard.check(command, at(T0.plusSeconds(5))).passed()).isTrue();

        health.put(CHECKOUT, HealthStatus.HEALTHY, T0.plusSeconds(3));
        GuardDecision cleared = guard.check(command, at(T0.plusSeconds(5)));

        assertThat(cleared.passed()).isFalse();
        assertThat(cleared.reason()).startsWith("condition cleared");
        assertThat(new StalenessGuard().check(command, at(T0.plusSeconds(5))).passed()).isTrue();
    }

    @Test
    void staleness_unhealthyAfterOpening_passes() {
        TestingHealthView health = new TestingHealthView();
        health.put(CHECKOUT, HealthStatus.UNHEALTHY, T0.plusSeconds(3));

        assertThat(new StalenessGuard(health).check(command, at(T0.plusSeconds(5))).passed()).isTrue();
    }
}
