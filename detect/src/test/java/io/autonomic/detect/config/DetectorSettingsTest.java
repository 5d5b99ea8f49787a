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
    void defaults_matchTheShippedYaml() {
        assertThat(DetectConfig.defaults().detector()).isEqualTo(DetectorSettings.DEFAULTS);
        assertThat(DetectorSettings.DEFAULTS.seasonalBuckets()).isPositive();
    }
}
