package io.autonomic.detect.incident;

import static io.autonomic.detect.TestPoints.CHECKOUT;
import static io.autonomic.detect.TestPoints.ERROR_RATIO;
import static io.autonomic.detect.TestPoints.LATENCY;
import static io.autonomic.detect.TestPoints.LOG_DIR_UTILIZATION;
import static io.autonomic.detect.TestPoints.at;
import static io.autonomic.detect.TestPoints.context;
import static io.autonomic.detect.TestPoints.gauge;
import static io.autonomic.detect.TestPoints.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.IncidentSettings;
import io.autonomic.detect.config.Playbook;
import io.autonomic.detect.config.ThresholdRule;
import io.autonomic.detect.scoring.Anomalies;
import io.autonomic.detect.scoring.EwmaScore;
import io.autonomic.detect.scoring.ScoredPoint;
import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResourceIncidentFunctionTest {

    private static final DetectConfig DEFAULTS = DetectConfig.defaults();
    private static final ThresholdRule HIGH_ERROR_RATIO = DEFAULTS.rules().get(0);
    private static final ThresholdRule LOG_DIR_FULL = DEFAULTS.rules().get(1);
    private static final Map<String, String> LOG_DIR = Map.of("log.dir", "/var/log/checkout");

    private KeyedOneInputStreamOperatorTestHarness<String, ScoredPoint, Incident> harness;

    @BeforeEach
    void start() throws Exception {
        start(DEFAULTS);
    }

    private void start(DetectConfig config) throws Exception {
        if (harness != null) {
            harness.close();
        }
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ResourceIncidentFunction(config),
                ScoredPoint::resourceId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    // --- record factories -------------------------------------------------------------------------------------

    private static ScoredPoint healthy(double seconds) {
        return new ScoredPoint(gauge(CHECKOUT, ERROR_RATIO, at(seconds), 0.0), List.of());
    }

    private static ScoredPoint errorRule(double seconds) {
        EnrichedPoint point = gauge(CHECKOUT, ERROR_RATIO, at(seconds), 1.0);
        return new ScoredPoint(point, List.of(Anomalies.fromRule(point, HIGH_ERROR_RATIO, at(seconds) - 3_000)));
    }

    private static ScoredPoint diskRule(double seconds, Map<String, String> attributes) {
        EnrichedPoint point = gauge(CHECKOUT, LOG_DIR_UTILIZATION, attributes, at(seconds), 0.95);
        return new ScoredPoint(point, List.of(Anomalies.fromRule(point, LOG_DIR_FULL, at(seconds) - 2_000)));
    }

    private static ScoredPoint learned(double seconds, double score) {
        EnrichedPoint point = gauge(CHECKOUT, LATENCY, at(seconds), 0.9);
        EwmaScore ewma = new EwmaScore(false, true, 14, score, 0.02, -0.04, 0.08);
        return new ScoredPoint(point, List.of(Anomalies.fromEwma(point, ewma, 0.9, false)));
    }

    private void send(ScoredPoint point) throws Exception {
        harness.processElement(point, point.timestampMillis());
    }

    private void watermark(double seconds) throws Exception {
        harness.processWatermark(at(seconds));
    }

    private List<Incident> incidents() {
        return harness.extractOutputValues();
    }

    private List<RemediationCommand> commands() {
        return side(ResourceIncidentFunction.COMMANDS);
    }

    private List<ResourceHealth> health() {
        return side(ResourceIncidentFunction.HEALTH);
    }

    private <T> List<T> side(OutputTag<T> tag) {
        var queue = harness.getSideOutput(tag);
        return queue == null ? List.of() : queue.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // --- tests --------------------------------------------------------------------------------------------------

    @Test
    void signingKey_commandsCarryASignatureTheWorkerKeyVerifies() throws Exception {
        byte[] key = "detect-and-worker-share-this-key".getBytes(StandardCharsets.UTF_8);
        harness.close();
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ResourceIncidentFunction(DEFAULTS, key),
                ScoredPoint::resourceId, Types.STRING);
        send(errorRule(10));
        send(errorRule(11));

        watermark(13);

        assertThat(commands()).singleElement().satisfies(command -> {
            assertThat(command.getSignature()).startsWith(CommandSignature.PREFIX);
            assertThat(CommandSignature.withKey(key).verify(command)).isTrue();
            assertThat(CommandSignature.withKey("some-other-key-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8))
                    .verify(command)).isFalse();
        });
    }

    @Test
    void signingKey_tooShort_failsWhenTheJobIsBuilt() {
        assertThatThrownBy(() -> new ResourceIncidentFunction(DEFAULTS, new byte[8]))
                .hasMessageContaining("at least 16");
    }

    @Test
    void anomaliesWithinWindow_giveOneOpenIncidentOneCommandAndUnhealthy() throws Exception {
        send(healthy(9));
        send(learned(10, 0.7));
        send(errorRule(10));
        send(errorRule(11));
        send(errorRule(12));
        watermark(12.999);
        assertThat(incidents()).isEmpty();

        watermark(13);

        String incidentId = uuid("incident|" + CHECKOUT + "|" + at(10));
        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getIncidentId()).isEqualTo(incidentId);
            assertThat(incident.getStatus()).isEqualTo(IncidentStatus.OPEN);
            assertThat(incident.getResource()).isEqualTo(resource(CHECKOUT));
            assertThat(incident.getContext()).isEqualTo(context("checkout"));
            assertThat(incident.getOpenedAtMillis()).isEqualTo(at(10));
            assertThat(incident.getUpdatedAtMillis()).isEqualTo(at(13));
            assertThat(incident.getResolvedAtMillis()).isNull();
            assertThat(incident.getEvidence()).hasSize(4);
            assertThat(incident.getPlaybook()).isEqualTo("restart-on-5xx");
            assertThat(incident.getDiagnosis().getIncidentType()).isEqualTo("http-5xx");
            assertThat(incident.getDiagnosis().getConfidence()).isEqualTo(RulesDiagnoser.RULE_CONFIDENCE);
            assertThat(incident.getDiagnosis().getRootCause()).isEqualTo(CHECKOUT);
            assertThat(incident.getDiagnosis().getDiagnoser()).isEqualTo("rules");
            assertThat(incident.getDiagnosis().getSummary()).contains("high-error-ratio").contains("fired 3 times")
                    .contains("learned anomalies on " + LATENCY);
        });
        Incident opened = incidents().get(0);
        assertThat(commands()).singleElement().satisfies(command -> {
            assertThat(command.getCommandId()).isEqualTo(uuid("command|" + incidentId + "|restart-on-5xx|0"));
            assertThat(command.getIdempotencyKey()).isEqualTo(incidentId + "/restart-on-5xx/0");
            assertThat(command.getIncident()).isEqualTo(opened);
            assertThat(command.getPlaybook()).isEqualTo("restart-on-5xx");
            assertThat(command.getAction()).isEqualTo("process.restart");
            assertThat(command.getTarget()).isEqualTo(resource(CHECKOUT));
            assertThat(command.getTargetContext()).isEqualTo(context("checkout"));
            assertThat(command.getParameters()).isEmpty();
            assertThat(command.getMode()).isEqualTo(ExecutionMode.EXECUTE);
            assertThat(command.getIssuedAtMillis()).isEqualTo(at(13));
            assertThat(command.getExpiresAtMillis()).isEqualTo(at(13) + Duration.ofMinutes(2).toMillis());
            assertThat(command.getVerifyWithinMillis()).isEqualTo(60_000);
            assertThat(command.getSignature()).isNull();
        });
        assertThat(health()).singleElement().satisfies(h -> {
            assertThat(h.getResource()).isEqualTo(resource(CHECKOUT));
            assertThat(h.getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(h.getSinceMillis()).isEqualTo(at(10));
            assertThat(h.getUpdatedAtMillis()).isEqualTo(at(13));
            assertThat(h.getIncidentId()).isEqualTo(incidentId);
            assertThat(h.getReason()).startsWith("http-5xx on " + CHECKOUT);
        });
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void healthyPointsAfterRecoveryPeriod_giveHealthyAndResolvedAndClearAllState() throws Exception {
        for (int s = 10; s <= 12; s++) {
            send(errorRule(s));
        }
        watermark(13);
        for (int s = 13; s <= 19; s++) {
            send(healthy(s));
        }
        watermark(19.5);
        assertThat(incidents()).hasSize(1);

        send(healthy(20));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        watermark(19.999);
        assertThat(incidents()).as("the recovery waits for the watermark").hasSize(1);
        watermark(20);

        Incident resolved = incidents().get(1);
        assertThat(resolved.getIncidentId()).isEqualTo(incidents().get(0).getIncidentId());
        assertThat(resolved.getStatus()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(resolved.getResolvedAtMillis()).isEqualTo(at(20));
        assertThat(resolved.getUpdatedAtMillis()).isEqualTo(at(20));
        assertThat(resolved.getPlaybook()).isEqualTo("restart-on-5xx");
        assertThat(health()).extracting(ResourceHealth::getStatus)
                .containsExactly(HealthStatus.UNHEALTHY, HealthStatus.HEALTHY);
        ResourceHealth healthy = health().get(1);
        assertThat(healthy.getSinceMillis()).isEqualTo(at(20));
        assertThat(healthy.getUpdatedAtMillis()).isEqualTo(at(20));
        assertThat(healthy.getIncidentId()).isEqualTo(resolved.getIncidentId());
        assertThat(healthy.getReason()).contains("no rule anomaly for 8s");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(commands()).hasSize(1);
    }

    @Test
    void backlogProcessedBeforeAnyTimer_stillOpensThenResolves() throws Exception {
        for (int s = 0; s < 40; s++) {
            send(healthy(s));
        }
        for (int s = 40; s < 50; s++) {
            send(errorRule(s));
        }
        for (int s = 50; s < 80; s++) {
            send(healthy(s));
        }
        watermark(78);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.RESOLVED);
        assertThat(incidents().get(0).getEvidence()).as("the whole backlog is evidence when the window closes")
                .hasSize(10);
        assertThat(commands()).singleElement()
                .satisfies(command -> assertThat(command.getIssuedAtMillis()).isEqualTo(at(43)));
        assertThat(health()).extracting(ResourceHealth::getSinceMillis).containsExactly(at(40), at(57));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void recoveryWithinTheGroupWindow_resolvesRightAfterPublishing() throws Exception {
        start(new DetectConfig(DEFAULTS.rules(), DEFAULTS.playbooks(),
                new IncidentSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), 0.5, 50), DEFAULTS.detector()));
        send(errorRule(10));
        send(healthy(12));
        watermark(12);
        assertThat(incidents()).isEmpty();

        watermark(15);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.RESOLVED);
        assertThat(incidents().get(1).getResolvedAtMillis()).isEqualTo(at(15));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void lateAnomalyBeforeTheWatermark_postponesRecovery() throws Exception {
        send(errorRule(10));
        watermark(13);
        send(healthy(18));
        send(errorRule(17.5));
        send(healthy(18.5));
        watermark(18.5);
        assertThat(incidents()).extracting(Incident::getStatus)
                .as("the late anomaly is published as evidence, not followed by recovery")
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.UPDATED);

        send(healthy(25.5));
        watermark(25.5);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.UPDATED, IncidentStatus.RESOLVED);
        assertThat(health().get(health().size() - 1).getSinceMillis()).isEqualTo(at(25.5));
    }

    @Test
    void learnedAnomaliesAfterARuleBackedIncident_doNotHoldTheResourceUnhealthy() throws Exception {
        for (int s = 10; s <= 12; s++) {
            send(errorRule(s));
        }
        watermark(13);
        for (int s = 13; s <= 20; s++) {
            send(learned(s, 0.9));
        }
        watermark(20);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.UPDATED, IncidentStatus.RESOLVED);
        assertThat(incidents().get(2).getEvidence()).filteredOn(a -> !Anomalies.isRule(a)).hasSize(8);
        assertThat(health()).extracting(ResourceHealth::getStatus).last().isEqualTo(HealthStatus.HEALTHY);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void noPointsAfterTheAnomalies_keepsTheResourceUnhealthy() throws Exception {
        for (int s = 10; s <= 12; s++) {
            send(errorRule(s));
        }
        watermark(13);
        watermark(600);

        assertThat(incidents()).extracting(Incident::getStatus).containsExactly(IncidentStatus.OPEN);
        assertThat(health()).extracting(ResourceHealth::getStatus).containsExactly(HealthStatus.UNHEALTHY);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        send(healthy(601));
        watermark(601);

        assertThat(health()).extracting(ResourceHealth::getStatus).last().isEqualTo(HealthStatus.HEALTHY);
        assertThat(health().get(1).getSinceMillis()).isEqualTo(at(601));
    }

    @Test
    void learnedAnomaliesOnly_giveAnUnknownIncidentWithoutCommand() throws Exception {
        send(learned(10, 0.99));
        send(learned(11, 0.99));
        watermark(13);

        assertThat(incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.getDiagnosis().getIncidentType()).isEqualTo(Diagnoser.UNKNOWN);
            assertThat(incident.getDiagnosis().getConfidence()).isEqualTo(RulesDiagnoser.LEARNED_CONFIDENCE);
            assertThat(incident.getDiagnosis().getSummary()).contains(LATENCY)
                    .contains("no automatic action: no playbook for incident type unknown");
            assertThat(incident.getPlaybook()).isNull();
        });
        assertThat(commands()).isEmpty();
        assertThat(health()).extracting(ResourceHealth::getStatus).containsExactly(HealthStatus.UNHEALTHY);
    }

    @Test
    void diagnosisBelowMinConfidence_givesNoCommandEvenWithAPlaybook() throws Exception {
        List<Playbook> playbooks = new ArrayList<>(DEFAULTS.playbooks());
        playbooks.add(new Playbook("restart-anything-odd", Diagnoser.UNKNOWN, "process.restart", ExecutionMode.EXECUTE,
                Duration.ofMinutes(1), Duration.ofMinutes(2), Map.of()));
        start(new DetectConfig(DEFAULTS.rules(), playbooks, DEFAULTS.incident(), DEFAULTS.detector()));

        send(learned(10, 0.99));
        watermark(13);

        assertThat(commands()).isEmpty();
        assertThat(incidents().get(0).getPlaybook()).isNull();
        assertThat(incidents().get(0).getDiagnosis().getSummary())
                .contains("confidence 0.30 is below 0.50 for playbook restart-anything-odd");
    }

    @Test
    void diskPressure_resolvesTheDirectoryFromTheEvidence() throws Exception {
        send(learned(10, 0.99));
        send(diskRule(10, LOG_DIR));
        watermark(13);

        assertThat(commands()).singleElement().satisfies(command -> {
            assertThat(command.getAction()).isEqualTo("process.remove-files");
            assertThat(command.getPlaybook()).isEqualTo("clean-log-dir");
            assertThat(command.getParameters()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("directory", "/var/log/checkout", "pattern", "*.log.*"));
        });
    }

    @Test
    void unresolvedTemplate_givesNoCommandAndSaysWhy() throws Exception {
        send(diskRule(10, Map.of()));
        watermark(13);

        assertThat(commands()).isEmpty();
        Incident incident = incidents().get(0);
        assertThat(incident.getDiagnosis().getIncidentType()).isEqualTo("disk-pressure");
        assertThat(incident.getPlaybook()).isNull();
        assertThat(incident.getDiagnosis().getSummary())
                .contains("playbook clean-log-dir cannot run: directory needs ${attr.log.dir}");
    }

    @Test
    void ruleConfirmingALearnedIncidentLater_issuesTheCommandOnTheUpdate() throws Exception {
        send(learned(10, 0.99));
        watermark(13);
        assertThat(commands()).isEmpty();

        send(errorRule(14));
        watermark(15.999);
        assertThat(incidents()).hasSize(1);
        watermark(16);
        send(errorRule(17));
        watermark(19);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.UPDATED, IncidentStatus.UPDATED);
        assertThat(incidents()).extracting(Incident::getUpdatedAtMillis).containsExactly(at(13), at(16), at(19));
        assertThat(incidents().get(1).getDiagnosis().getIncidentType()).isEqualTo("http-5xx");
        assertThat(commands()).as("one command per incident").singleElement().satisfies(command -> {
            assertThat(command.getIssuedAtMillis()).isEqualTo(at(16));
            assertThat(command.getIncident().getStatus()).isEqualTo(IncidentStatus.UPDATED);
        });
        assertThat(incidents().get(2).getPlaybook()).isEqualTo("restart-on-5xx");
        assertThat(health()).extracting(ResourceHealth::getStatus)
                .containsExactly(HealthStatus.UNHEALTHY, HealthStatus.UNHEALTHY);
        assertThat(health()).extracting(ResourceHealth::getSinceMillis).containsOnly(at(10));
    }

    @Test
    void continuingAnomalies_areUpdatedAtMostOncePerGroupWindow() throws Exception {
        for (int s = 10; s <= 30; s++) {
            send(errorRule(s));
            watermark(s);
        }

        assertThat(incidents()).extracting(Incident::getUpdatedAtMillis)
                .containsExactly(at(13), at(16), at(19), at(22), at(25), at(28));
        assertThat(commands()).hasSize(1);
        assertThat(health()).hasSize(1);
    }

    @Test
    void evidenceCap_keepsTheStrongestWithRuleAnomaliesFirst() throws Exception {
        start(new DetectConfig(DEFAULTS.rules(), DEFAULTS.playbooks(),
                new IncidentSettings(Duration.ofSeconds(3), Duration.ofSeconds(8), 0.5, 3), DEFAULTS.detector()));
        send(learned(10, 0.2));
        send(learned(10.5, 0.9));
        send(learned(11, 0.5));
        send(learned(11.5, 0.1));
        send(errorRule(12));
        send(errorRule(12));
        watermark(13);

        assertThat(incidents().get(0).getEvidence()).extracting(Anomaly::getScore).hasSize(3)
                .contains(0.9).doesNotContain(0.1, 0.2);
        assertThat(incidents().get(0).getEvidence()).filteredOn(Anomalies::isRule).hasSize(1);
        assertThat(commands()).hasSize(1);
    }

    @Test
    void anomalyAfterResolution_opensANewIncident() throws Exception {
        send(errorRule(10));
        watermark(13);
        send(healthy(18));
        watermark(18);
        assertThat(harness.numKeyedStateEntries()).isZero();

        send(errorRule(30));
        watermark(33);

        assertThat(incidents()).extracting(Incident::getStatus)
                .containsExactly(IncidentStatus.OPEN, IncidentStatus.RESOLVED, IncidentStatus.OPEN);
        assertThat(incidents().get(2).getIncidentId()).isNotEqualTo(incidents().get(0).getIncidentId())
                .isEqualTo(IncidentIds.incidentId(CHECKOUT, at(30)));
        assertThat(commands()).extracting(RemediationCommand::getCommandId).doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void replayingTheSameInput_givesTheSameIds() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            start(DEFAULTS);
            send(errorRule(10));
            send(errorRule(11));
            watermark(13);
            runs.add(List.of(incidents().get(0).getIncidentId(), commands().get(0).getCommandId(),
                    commands().get(0).getIdempotencyKey()));
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1));
    }

    @Test
    void healthyPointsWithoutIncident_keepNoState() throws Exception {
        for (int s = 0; s < 20; s++) {
            send(healthy(s));
        }
        watermark(20);

        assertThat(incidents()).isEmpty();
        assertThat(health()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
