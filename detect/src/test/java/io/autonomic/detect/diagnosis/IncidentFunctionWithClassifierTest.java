package io.autonomic.detect.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.incident.PlaybookCatalog;
import io.autonomic.detect.incident.ResourceIncidentFunction;
import io.autonomic.detect.scoring.ScoredPoint;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The classifier diagnoser inside the incident function, shipped the way Flink ships it (Java-serialized). */
class IncidentFunctionWithClassifierTest {

    @Test
    void crashLoopWithoutAnyRule_isDiagnosedByTheModel_andCommandsThePodDeletion() throws Exception {
        DetectConfig config = DetectConfig.defaults();
        ClassifierDiagnoser diagnoser = ClassifierDiagnoser.fromSeedHistory()
                .withMinConfidence(config.incident().minConfidence());
        ResourceIncidentFunction function = InstantiationUtil.clone(new ResourceIncidentFunction(config.incident(),
                new PlaybookCatalog(config.playbooks()), diagnoser));
        TestEvidence pod = TestEvidence.on(ResourceKind.K8S_POD, "k8s-pod:shop/cart-8f9d-zzz11", "cart",
                Layer.PLATFORM)
                .learned("k8s.container.restarts", 6)
                .logPattern("crash-loop", 9)
                .logPattern("back-off", 4);

        try (KeyedOneInputStreamOperatorTestHarness<String, ScoredPoint, Incident> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, ScoredPoint::resourceId,
                        Types.STRING)) {
            for (ScoredPoint point : pod.scoredPoints()) {
                harness.processElement(point, point.timestampMillis());
            }
            harness.processWatermark(TestEvidence.T0 + 60_000);

            assertThat(harness.extractOutputValues()).singleElement().satisfies(incident -> {
                assertThat(incident.getDiagnosis().getIncidentType()).isEqualTo("crash-loop");
                assertThat(incident.getDiagnosis().getDiagnoser()).isEqualTo("model:" + diagnoser.version());
                assertThat(incident.getDiagnosis().getSignature()).contains("pattern:crash-loop");
                assertThat(incident.getPlaybook()).isEqualTo("k8s-pod-crash-loop");
            });
            List<RemediationCommand> commands = harness.getSideOutput(ResourceIncidentFunction.COMMANDS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(commands).singleElement().satisfies(command -> {
                assertThat(command.getAction()).isEqualTo("k8s.delete-pod");
                assertThat(command.getMode()).isEqualTo(ExecutionMode.EXECUTE);
                assertThat(command.getTarget().getId()).isEqualTo("k8s-pod:shop/cart-8f9d-zzz11");
            });
        }
    }
}
