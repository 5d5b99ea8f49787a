package io.autonomic.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExhaustionForecasterTest {

    private final ExhaustionForecaster forecaster = ExhaustionForecaster.defaults();

    @Test
    void replay_everyExhaustingScenario_firesBeforeExhaustion() {
        for (ExhaustionScenarios.Scenario scenario : ExhaustionScenarios.all(42)) {
            ExhaustionScenarios.Outcome outcome = ExhaustionScenarios.replay(scenario, forecaster);
            if (outcome.exhausts()) {
                assertThat(outcome.firedBeforeExhaustion()).as(scenario.name()).isTrue();
                assertThat(outcome.leadTime()).as(scenario.name()).isPositive();
            } else {
                assertThat(outcome.firings()).as(scenario.name() + ": healthy, never forecast").isZero();
            }
        }
    }

    @Test
    void update_steadyLinearRise_estimatesTheTimeLeft() {
        ExhaustionState state = new ExhaustionState();
        ExhaustionForecaster.Forecast last = null;
        // 1 % per minute from 50 %, every 10 s, for 40 minutes: 10 minutes left at the end
        for (int i = 0; i <= 240; i++) {
            last = forecaster.update(state, i * 10_000L, 0.50 + 0.01 * i / 6.0);
        }

        assertThat(last.fires()).isTrue();
        assertThat(last.timeToExhaustion()).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(11));
        assertThat(last.fitQuality()).isGreaterThan(0.99);
    }

    @Test
    void update_outOfOrderOrNonFinitePoint_isIgnored() {
        ExhaustionState state = new ExhaustionState();
        forecaster.update(state, 10_000, 0.5);

        forecaster.update(state, 5_000, 0.9);
        forecaster.update(state, 20_000, Double.NaN);

        assertThat(state.count).isEqualTo(1);
        assertThat(state.meanY).isEqualTo(0.5);
    }
}
