package io.autonomic.ingest;

import static io.autonomic.ingest.OtlpRequests.checkoutOnHost1;
import static io.autonomic.ingest.OtlpRequests.doublePoint;
import static io.autonomic.ingest.OtlpRequests.gauge;
import static io.autonomic.ingest.OtlpRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecodeOtlpMetricsFunctionTest {

    private static final long PROCESSING_TIME = Instant.parse("2025-03-01T12:00:05Z").toEpochMilli();
    private static final String TOPIC = "otlp_metrics";

    private DecodeOtlpMetricsFunction function;
    private OneInputStreamOperatorTestHarness<KafkaRecord, TelemetryPoint> harness;

    @BeforeEach
    void openHarness() throws Exception {
        function = new DecodeOtlpMetricsFunction();
        harness = ProcessFunctionTestHarnesses.forProcessFunction(function);
        harness.setProcessingTime(PROCESSING_TIME);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    private static KafkaRecord record(long offset, byte[] value) {
        return new KafkaRecord(TOPIC, 2, offset, PROCESSING_TIME - 1_000, null, value);
    }

    private List<DeadLetter> deadLetters() {
        Queue<StreamRecord<DeadLetter>> side = harness.getSideOutput(DeadLetters.TAG);
        List<DeadLetter> letters = new ArrayList<>();
        if (side != null) {
            side.forEach(r -> letters.add(r.getValue()));
        }
        return letters;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    @Test
    void processElement_goodRequest_emitsItsPointsAndNoDeadLetter() throws Exception {
        byte[] value = request(checkoutOnHost1(), gauge("cpu", doublePoint(0.5)), gauge("mem", doublePoint(0.25)))
                .toByteArray();

        harness.processElement(record(10, value), PROCESSING_TIME);

        assertThat(harness.extractOutputValues()).extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue)
                .containsExactly(tuple("cpu", 0.5),
                        tuple("mem", 0.25));
        assertThat(harness.extractOutputValues())
                .allSatisfy(p -> assertThat(p.getResource().getId()).isEqualTo("process:host-1/checkout"));
        assertThat(deadLetters()).isEmpty();
        assertThat(function.decodedPointCount()).isEqualTo(2);
    }

    @Test
    void processElement_garbage_becomesADeadLetterWithTheOriginalBytesAndCoordinates() throws Exception {
        byte[] garbage = OtlpRequests.garbage();

        harness.processElement(record(11, garbage), PROCESSING_TIME);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getStage()).isEqualTo("ingest");
            assertThat(letter.getReason()).isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
            assertThat(letter.getDetail()).contains("not an OTLP ExportMetricsServiceRequest");
            assertThat(letter.getSourceTopic()).isEqualTo(TOPIC);
            assertThat(letter.getSourcePartition()).isEqualTo(2);
            assertThat(letter.getSourceOffset()).isEqualTo(11);
            assertThat(bytes(letter.getValue())).isEqualTo(garbage);
            assertThat(letter.getKey()).isNull();
            assertThat(letter.getTimestampMillis()).isEqualTo(PROCESSING_TIME);
        });
        assertThat(function.decodedPointCount()).isZero();
    }

    @Test
    void processElement_nullOrEmptyValue_becomesAnEmptyRecordDeadLetter() throws Exception {
        harness.processElement(record(1, null), PROCESSING_TIME);
        harness.processElement(record(2, new byte[0]), PROCESSING_TIME);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).extracting(DeadLetter::getReason, DeadLetter::getSourceOffset).containsExactly(
                tuple("empty-record", 1L),
                tuple("empty-record", 2L));
    }

    @Test
    void processElement_partlyUnsupportedRequest_emitsGoodPointsAndOneDeadLetter() throws Exception {
        byte[] value = request(checkoutOnHost1(), gauge("cpu", doublePoint(0.5)), Metric.newBuilder().setName("odd").build(),
                gauge("nan", doublePoint(Double.NaN))).toByteArray();

        harness.processElement(record(12, value), PROCESSING_TIME);

        assertThat(harness.extractOutputValues()).extracting(TelemetryPoint::getMetric).containsExactly("cpu");
        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).isEqualTo(OtlpDecodeException.UNSUPPORTED_METRIC_TYPE);
            assertThat(letter.getDetail()).startsWith("2 problems, 1 points decoded").contains("[odd]")
                    .contains("non-finite-value [nan]");
            assertThat(bytes(letter.getValue())).isEqualTo(value);
            assertThat(letter.getSourceOffset()).isEqualTo(12);
        });
        assertThat(function.decodedPointCount()).isEqualTo(1);
    }

    @Test
    void processElement_requestWithoutMetrics_becomesAnEmptyRequestDeadLetter() throws Exception {
        byte[] value = request(checkoutOnHost1()).toByteArray();

        harness.processElement(record(13, value), PROCESSING_TIME);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(OtlpDecodeException.EMPTY_REQUEST);
    }
}
