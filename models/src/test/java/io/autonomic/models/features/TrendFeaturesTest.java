package io.autonomic.models.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.classification.Label;

class TrendFeaturesTest {

    private static final long START = 1_767_225_600_000L;
    private final TrendFeatures features = TrendFeatures.DEFAULT;

    private static int index(String name) {
        return TrendFeatures.NAMES.indexOf(name);
    }

    @Test
    void vector_steadyRise_slopesAndTimeToExhaustionMatchTheRate() {
        TrendState state = new TrendState();
        // 1 % per minute from 50 %, every 10 s, for 20 minutes: 70 % at the end, 30 minutes left
        for (int i = 0; i <= 120; i++) {
            features.update(state, START + i * 10_000L, 0.50 + 0.01 * i / 6.0);
        }

        double[] v = features.vector(state);

        assertThat(v).hasSize(TrendFeatures.NAMES.size());
        assertThat(v[index("level")]).isCloseTo(0.70, within(1e-9));
        assertThat(v[index("headroom")]).isCloseTo(0.30, within(1e-9));
        assertThat(v[index("slope_1m")]).isCloseTo(0.01, within(1e-6));
        assertThat(v[index("slope_5m")]).isCloseTo(0.01, within(1e-6));
        assertThat(v[index("slope_15m")]).isCloseTo(0.01, within(1e-6));
        assertThat(v[index("acceleration")]).isCloseTo(0, within(1e-6));
        assertThat(v[index("fit_r2_15m")]).isCloseTo(1, within(1e-6));
        assertThat(v[index("history_minutes")]).isCloseTo(15, within(0.2));
        assertThat(v[index("log_tte_5m")]).isCloseTo(Math.log10(31), within(1e-3));
        assertThat(v[index("max_jump_share")]).isLessThan(0.1);
        assertThat(features.ready(state)).isTrue();
    }

    @Test
    void vector_flatSeries_hasNoTrendAndAWeekToExhaustion() {
        TrendState state = new TrendState();
        for (int i = 0; i < 200; i++) {
            features.update(state, START + i * 10_000L, 0.6);
        }

        double[] v = features.vector(state);

        assertThat(v[index("slope_15m")]).isZero();
        assertThat(v[index("log_tte_15m")]).isCloseTo(Math.log10(1 + TrendFeatures.MAX_TTE_MINUTES), within(1e-9));
        assertThat(v[index("range_15m")]).isZero();
    }

    @Test
    void update_dropOfFivePercent_resetsTimeSinceDrop() {
        TrendState state = new TrendState();
        for (int i = 0; i < 60; i++) {
            features.update(state, START + i * 10_000L, 0.5 + 0.001 * i);
        }
        features.update(state, START + 60 * 10_000L, 0.40);
        features.update(state, START + 66 * 10_000L, 0.41);

        assertThat(state.lastDropMillis).isEqualTo(START + 600_000L);
        assertThat(features.vector(state)[index("minutes_since_drop")]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void update_outOfOrderDuplicateOrNonFinite_isIgnored() {
        TrendState state = new TrendState();
        assertThat(features.update(state, START + 10_000, 0.5)).isTrue();

        assertThat(features.update(state, START + 5_000, 0.9)).isFalse();
        assertThat(features.update(state, START + 10_000, 0.9)).isFalse();
        assertThat(features.update(state, START + 20_000, Double.NaN)).isFalse();
        assertThat(features.update(state, START + 20_000, Double.POSITIVE_INFINITY)).isFalse();

        assertThat(state.count).isEqualTo(1);
        assertThat(state.latest).isEqualTo(0.5);
    }

    @Test
    void update_fastSampling_keepsPointsSpacedAndTheLatestReading() {
        TrendState state = new TrendState();
        // one reading a second for an hour: the ring stays bounded and still spans the 15 minute window
        for (int i = 0; i < 3600; i++) {
            features.update(state, START + i * 1000L, 0.3 + i * 1e-5);
        }

        assertThat(state.size).isEqualTo(TrendState.CAPACITY);
        assertThat(state.latest).isCloseTo(0.3 + 3599 * 1e-5, within(1e-12));
        double[] v = features.vector(state);
        assertThat(v[index("history_minutes")]).isCloseTo(15, within(0.2));
        assertThat(v[index("slope_5m")]).isCloseTo(60 * 1e-5, within(1e-8));
    }

    @Test
    void update_bytesOfACapacity_areAFraction() {
        TrendState state = new TrendState();
        features.update(state, START, 250, 1000);

        assertThat(state.latest).isEqualTo(0.25);
        assertThat(features.update(state, START + 10_000, 250, 0)).isFalse();
    }

    @Test
    void vector_sameHistory_sameFeatures() {
        Random random = new Random(3);
        TrendState a = new TrendState();
        for (int i = 0; i < 500; i++) {
            features.update(a, START + i * (5_000L + random.nextInt(10_000)), random.nextDouble());
        }
        TrendState b = a.copy();

        assertThat(features.vector(b)).containsExactly(features.vector(a));
        assertThat(java.util.Arrays.stream(features.vector(a)).allMatch(Double::isFinite)).isTrue();
    }

    @Test
    void vector_beforeAnyPoint_isZerosAndNotReady() {
        TrendState state = new TrendState();

        assertThat(features.vector(state)).containsOnly(0.0);
        assertThat(features.ready(state)).isFalse();
    }

    @Test
    void example_namesFeaturesInOrder_andRejectsAWrongLength() {
        TrendState state = new TrendState();
        features.update(state, START, 0.5);
        Example<Label> example = features.example(new Label("OK"), features.vector(state));

        assertThat(example.size()).isLessThanOrEqualTo(TrendFeatures.NAMES.size());
        assertThatThrownBy(() -> features.example(new Label("OK"), new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 16 features");
    }
}
