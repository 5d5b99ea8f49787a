package io.autonomic.ingest.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DecodeCloudEventsFunctionTest {

    @Test
    void processElement_goodAndBadEvents_emitsPointsAndDeadLettersOriginalBytes() throws Exception {
        try (OneInputStreamOperatorTestHarness<KafkaRecord, TelemetryPoint> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new DecodeCloudEventsFunction())) {
            byte[] bad = "{not json".getBytes(StandardCharsets.UTF_8);
            harness.processElement(new KafkaRecord("autonomic.cloud-events", 0, 7, 1L, null,
                    CloudEventNormalizerTest.ALARM_EVENT.getBytes(StandardCharsets.UTF_8)), 1L);
            harness.processElement(new KafkaRecord("autonomic.cloud-events", 0, 8, 1L, null, bad), 1L);
            harness.processElement(new KafkaRecord("autonomic.cloud-events", 0, 9, 1L, null, new byte[0]), 1L);

            assertThat(harness.extractOutputValues()).extracting(TelemetryPoint::getMetric)
                    .containsExactly(CloudEventNormalizer.ALARM_STATE_METRIC);
            List<DeadLetter> letters = new ArrayList<>();
            harness.getSideOutput(DeadLetters.TAG).forEach(r -> letters.add(r.getValue()));
            assertThat(letters).extracting(DeadLetter::getReason)
                    .containsExactly(CloudEventException.MALFORMED_JSON, DecodeCloudEventsFunction.EMPTY_RECORD);
            assertThat(letters.get(0).getSourceOffset()).isEqualTo(8);
            assertThat(letters.get(0).getValue().array()).isEqualTo(bad);
        }
    }
}
