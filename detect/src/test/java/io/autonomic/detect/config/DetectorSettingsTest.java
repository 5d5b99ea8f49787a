package io.autonomic.detect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DetectorSettingsTest {

    @Test
    void parse_seasonalFields_areRead() {
        DetectorSettings d = DetectConfig.parse("detector:\n  seasonalBuckets: 24\n  seasonalDays: 3\n"
                + "  seasonalAlpha: 0.1\n", "x.yaml").detector();

        assertThat(d.seasonalBuckets()).isEqualTo(24);
        assertThat(d.seasonalDays()).isEqualTo(3.0);
        assertThat(d.seasonalAlpha()).isEqualTo(0.1);
        assertThat(d.threshold()).isEqualTo(DetectorSettings.DEFAULTS.threshold());
    }

    @Test
    void parse_negativeSeasonalBuckets_failsNamingLineAndField() {
        assertThatThrownBy(() -> DetectConfig.parse("detector:\n  seasonalBuckets: -1\n", "x.yaml"))
                .isInstanceOf(DetectConfigException.class)
                .hasMessageStartingWith("x.yaml line 2: detector.seasonalBuckets: seasonalBuckets must be within");
    }

    @Test
    void parse_ensembleFields_areRead() {
        DetectorSettings d = DetectConfig.parse("detector:\n  levelShiftThreshold: 0\n  varianceRatio: 6\n"
                + "  trendThreshold: 2.5\n  weeklyProfile: on\n  maxGapPoints: 30\n", "x.yaml").detector();

        assertThat(d.levelShiftThreshold()).isZero();
        assertThat(d.varianceRatio()).isEqualTo(6.0);
        assertThat(d.trendThreshold()).isEqualTo(2.5);
        assertThat(d.weeklyProfile()).isTrue();
        assertThat(d.maxGapPoints()).isEqualTo(30.0);
        assertThat(d.alpha()).isEqualTo(DetectorSettings.DEFAULTS.alpha());
    }

    @Test
    void parse_varianceRatioOfOne_failsNamingLineAndField() {
        assertThatThrownBy(() -> DetectConfig.parse("detector:\n  warmup: 30\n  varianceRatio: 1\n", "x.yaml"))
                .isInstanceOf(DetectConfigException.class)
                .hasMessageStartingWith("x.yaml line 3: detector.varianceRatio: varianceRatio must be above 1");
    }

    @Test
    void withExhaustionForecast_changesOnlyThatField() {
        DetectorSettings on = DetectorSettings.DEFAULTS.withExhaustionForecast(true);

        assertThat(on.exhaustionForecast()).isTrue();
        assertThat(on.withExhaustionForecast(false)).isEqualTo(DetectorSettings.DEFAULTS);
    }

    @Test
    void defaults_matchTheShippedYaml() {
        assertThat(DetectConfig.defaults().detector()).isEqualTo(DetectorSettings.DEFAULTS);
        assertThat(DetectorSettings.DEFAULTS.seasonalBuckets()).isPositive();
    }
}
