package io.autonomic.detect.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.detect.incident.RulesDiagnoser;
import io.autonomic.models.diagnosis.DiagnosisModel;
import io.autonomic.models.diagnosis.PastIncident;
import io.autonomic.models.diagnosis.SeedHistory;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierDiagnoserTest {

    private static ClassifierDiagnoser diagnoser;

    @BeforeAll
    static void trainOnTheSeedHistory() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long wallBefore = System.nanoTime();
        diagnoser = ClassifierDiagnoser.fromSeedHistory();
        // a figure for docs/diagnosis.md, not an assertion: the machine is shared
        System.out.printf("fromSeedHistory: %d ms CPU, %d ms wall%n",
                (threads.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000, (System.nanoTime() - wallBefore) / 1_000_000);
    }

    @Test
    void diagnose_ruleOnTheResource_decides_classifierFillsAlternativesAndSignature() {
        TestEvidence incident = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/checkout", "checkout",
                Layer.APPLICATION).rule("high-error-ratio", 0.5).logPattern("crash-loop", 3);

        Diagnosis diagnosis = diagnoser.diagnose(incident.resource(), incident.anomalies());

        assertThat(diagnosis.getIncidentType()).isEqualTo("http-5xx");
        assertThat(diagnosis.getDiagnoser()).isEqualTo(RulesDiagnoser.NAME);
        assertThat(diagnosis.getConfidence()).isGreaterThanOrEqualTo(RulesDiagnoser.RULE_CONFIDENCE);
        assertThat(diagnosis.getSummary()).contains("rule high-error-ratio", "classifier");
        assertThat(diagnosis.getAlternatives()).doesNotContainKey("http-5xx");
        assertThat(diagnosis.getSignature()).contains("detector:rule:high-error-ratio", "pattern:crash-loop");
    }

    @Test
    void diagnose_ruleDisagreeingWithTheClassifier_rulesStillWin() {
        // the user declared that this metric means disk pressure, whatever the signature resembles
        TestEvidence incident = TestEvidence.on(ResourceKind.K8S_POD, "k8s-pod:shop/consumer-1", "consumer",
                Layer.APPLICATION).rule("log-dir-nearly-full", 0.9).learned("messaging.kafka.consumer.lag", 50_000)
                .learned("container.memory.usage", 2e9).logPattern("oom-killed", 2);

        Diagnosis diagnosis = diagnoser.diagnose(incident.resource(), incident.anomalies());

        assertThat(diagnosis.getIncidentType()).isEqualTo("disk-pressure");
        assertThat(diagnosis.getSummary()).contains("classifier suggests memory-leak").contains("rules win");
        assertThat(diagnosis.getAlternatives()).containsKey("memory-leak");
    }

    @Test
    void diagnose_noRule_classifierDecidesWithItsVersion() {
        TestEvidence incident = TestEvidence.on(ResourceKind.K8S_POD, "k8s-pod:shop/cart-1", "cart", Layer.PLATFORM)
                .learned("k8s.container.restarts", 5).logPattern("crash-loop", 7);

        Diagnosis diagnosis = diagnoser.diagnose(incident.resource(), incident.anomalies());

        assertThat(diagnosis.getIncidentType()).isEqualTo("crash-loop");
        assertThat(diagnosis.getDiagnoser()).isEqualTo("model:" + diagnoser.version()).matches("model:h[0-9a-f]{11}");
        assertThat(diagnosis.getRootCause()).isEqualTo("k8s-pod:shop/cart-1");
        assertThat(diagnosis.getSummary()).contains("classifier model:");
        double total = diagnosis.getConfidence()
                + diagnosis.getAlternatives().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(total).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void diagnose_belowTheThreshold_keepsTheGuessAndSaysItGoesToHumans() {
        TestEvidence incident = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/cart", "cart",
                Layer.APPLICATION).learned("process.cpu.utilization", 0.9);
        ClassifierDiagnoser strict = diagnoser.withMinConfidence(0.99);

        Diagnosis diagnosis = strict.diagnose(incident.resource(), incident.anomalies());

        assertThat(diagnosis.getConfidence()).isLessThan(0.99);
        assertThat(diagnosis.getSummary()).contains("below the 0.99 confidence threshold: no playbook, for humans");
    }

    @Test
    void diagnose_signatureTheModelNeverSaw_isUnknownWithZeroConfidence() {
        java.util.List<PastIncident> history = java.util.List.of(
                new PastIncident("1", "a", "http-5xx", "HOST_PROCESS", java.util.List.of("signal:a"), "", ""),
                new PastIncident("2", "b", "disk-pressure", "HOST_PROCESS", java.util.List.of("signal:b"), "", ""));
        ClassifierDiagnoser tiny = ClassifierDiagnoser.fromRelease(
                DiagnosisModel.train(history, "tiny", 1).release(1L, Map.of()));
        TestEvidence incident = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/cart", "cart",
                Layer.APPLICATION).learned("vendor.custom.widget_jam", 3);

        Diagnosis diagnosis = tiny.diagnose(incident.resource(), incident.anomalies());

        assertThat(diagnosis.getIncidentType()).isEqualTo("unknown");
        assertThat(diagnosis.getConfidence()).isZero();
        assertThat(diagnosis.getAlternatives()).isEmpty();
        assertThat(diagnosis.getSummary()).contains("the classifier knows none of the signature's");
    }

    @Test
    void diagnose_isDeterministic_andSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
        TestEvidence incident = TestEvidence.on(ResourceKind.LAMBDA_FUNCTION, "lambda:eu-west-1/api", "api",
                Layer.APPLICATION).learned("aws.lambda.errors", 80).cloudTrail("UpdateAlias");

        ClassifierDiagnoser shipped = roundTrip(diagnoser);

        Diagnosis here = diagnoser.diagnose(incident.resource(), incident.anomalies());
        assertThat(shipped.diagnose(incident.resource(), incident.anomalies())).isEqualTo(here);
        assertThat(diagnoser.diagnose(incident.resource(), incident.anomalies())).isEqualTo(here);
        assertThat(shipped).isEqualTo(diagnoser);
    }

    @Test
    void fromSeedHistory_twice_sameVersion() {
        assertThat(ClassifierDiagnoser.fromSeedHistory().version()).isEqualTo(diagnoser.version())
                .isEqualTo(DiagnosisModel.historyVersion(SeedHistory.shipped(), SeedHistory.SEED));
    }

    @Test
    void fromModelsDir_usesTheReleaseVersion_orFailsNamingTheDirectory(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ClassifierDiagnoser.fromModelsDir(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no diagnosis model in " + dir)
                .hasMessageContaining("autonomic train --diagnosis");
        assertThat(ClassifierDiagnoser.fromModelsDirOrSeed(dir).version()).isEqualTo(diagnoser.version());

        var release = DiagnosisModel.train(SeedHistory.generate(3, 6), "small", 3).release(5L, Map.of());
        ModelReleases.write(dir, release);

        assertThat(ClassifierDiagnoser.fromModelsDir(dir).version()).isEqualTo(release.getVersion());
        assertThat(ClassifierDiagnoser.fromModelsDirOrSeed(dir).version()).isEqualTo(release.getVersion());
    }

    @Test
    void withMinConfidence_outOfRange_failsFast() {
        assertThatThrownBy(() -> diagnoser.withMinConfidence(1.5)).hasMessageContaining("minConfidence");
    }

    private static ClassifierDiagnoser roundTrip(ClassifierDiagnoser original) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ClassifierDiagnoser) in.readObject();
        }
    }
}
