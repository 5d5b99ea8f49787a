package io.autonomic.models.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Temporality;
import org.junit.jupiter.api.Test;

class SignalValuesTest {

    @Test
    void counter_isReadAsPerSecondRate_withNoneAfterTheFirstReadingOrAReset() {
        SignalValues.Reading first = SignalValues.next(null, 10_000, 100, true);
        SignalValues.Reading second = SignalValues.next(first, 20_000, 150, true);
        SignalValues.Reading reset = SignalValues.next(second, 30_000, 4, true);
        SignalValues.Reading afterReset = SignalValues.next(reset, 40_000, 24, true);

        assertThat(first.hasValue()).isFalse();
        assertThat(second.hasValue()).isTrue();
        assertThat(second.value()).isEqualTo(5.0);
        assertThat(reset.hasValue()).isFalse();
        assertThat(afterReset.value()).isEqualTo(2.0);
    }

    @Test
    void lateOrDuplicateReading_isIgnored_gaugeIsReadAsIs() {
        SignalValues.Reading gauge = SignalValues.next(null, 10_000, 0.7, false);

        assertThat(gauge.value()).isEqualTo(0.7);
        assertThat(gauge.hasValue()).isTrue();
        assertThat(SignalValues.next(gauge, 10_000, 0.9, false)).isNull();
        assertThat(SignalValues.next(gauge, 5_000, 0.9, true)).isNull();
        assertThat(SignalValues.rate(10_000, 5, 10_000, 6)).isNaN();
    }

    @Test
    void onlyMonotonicCumulativeSums_areCounters() {
        assertThat(SignalValues.isCumulativeCounter(MetricType.SUM, Temporality.CUMULATIVE, true)).isTrue();
        assertThat(SignalValues.isCumulativeCounter(MetricType.SUM, Temporality.CUMULATIVE, false)).isFalse();
        assertThat(SignalValues.isCumulativeCounter(MetricType.SUM, Temporality.DELTA, true)).isFalse();
        assertThat(SignalValues.isCumulativeCounter(MetricType.GAUGE, Temporality.CUMULATIVE, true)).isFalse();
    }

    @Test
    void snapshot_holdsReadingsWithAValueUpToMaxAge() {
        SignalValues.Reading reading = new SignalValues.Reading(10_000, 1, 1, true);

        assertThat(SignalValues.inSnapshot(reading, 70_000, 60_000)).isTrue();
        assertThat(SignalValues.inSnapshot(reading, 70_001, 60_000)).isFalse();
        assertThat(SignalValues.inSnapshot(reading, 9_999, 60_000)).as("a reading after the snapshot").isFalse();
        assertThat(SignalValues.inSnapshot(new SignalValues.Reading(10_000, 1, 0, false), 10_000, 60_000)).isFalse();
    }
}
