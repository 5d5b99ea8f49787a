package io.autonomic.detect.incident;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.TestPoints.gauge;
import static io.autonomic.detect.TestPoints.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.EnrichedPoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesDiagnoserTest {

    private final RulesDiagnoser diagnoser = new RulesDiagnoser();

    private static Anomaly rule(String name, String type, double value, double threshold, double seconds) {
        ThresholdRule rule = new ThresholdRule(name, "m." + name, threshold, null, Duration.ZERO, type, Map.of());
        EnrichedPoint point = gauge(CHECKOUT, "m." + name, at(seconds), value);
        return Anomalies.fromRule(point, rule, at(seconds));
    }

    @Test
    void diagnose_mostFrequentRuleTypeWins() {
        Diagnosis diagnosis = diagnoser.diagnose(resource(CHECKOUT), List.of(
                rule("disk", "disk-pressure", 100, 1, 1),
                rule("errors", "http-5xx", 0.3, 0.2, 2),
                rule("errors", "http-5xx", 0.3, 0.2, 3)));

        assertThat(diagnosis.getIncidentType()).isEqualTo("http-5xx");
        assertThat(diagnosis.getConfidence()).isEqualTo(RulesDiagnoser.RULE_CONFIDENCE);
        assertThat(diagnosis.getRootCause()).isEqualTo(CHECKOUT);
        assertThat(diagnosis.getSummary()).contains("fired 2 times").contains("also disk-pressure");
    }

    @Test
    void diagnose_tieIsBrokenByTheHigherScore() {
        Diagnosis diagnosis = diagnoser.diagnose(resource(CHECKOUT), List.of(
                rule("errors", "http-5xx", 0.21, 0.2, 1),
                rule("disk", "disk-pressure", 0.99, 0.8, 2)));

        assertThat(diagnosis.getIncidentType()).isEqualTo("disk-pressure");
    }
}
