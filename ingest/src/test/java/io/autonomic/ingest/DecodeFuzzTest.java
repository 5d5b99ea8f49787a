package io.autonomic.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.ingest.cloud.CloudEventNormalizerTest;
import io.autonomic.ingest.cloud.DecodeCloudEventsFunction;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the decoding functions: random bytes, truncations of real messages, oversized messages and
 * absurdly deep attribute nesting. Each record must end as points or a dead letter, never as an exception, and the
 * function must go on decoding good records afterwards. Seeded, so a failure reproduces.
 */
class DecodeFuzzTest {

    private static final long SEED = 20_251_123L;
    private static final int NESTING = 10_000;

    /** Feeds {@code inputs} then one good record; returns the dead letters, asserting the good record decoded. */
    private static List<DeadLetter> feed(ProcessFunction<KafkaRecord, TelemetryPoint> function, List<byte[]> inputs,
            byte[] good) throws Exception {
        try (OneInputStreamOperatorTestHarness<KafkaRecord, TelemetryPoint> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            long offset = 0;
            for (byte[] input : inputs) {
                harness.processElement(new KafkaRecord("fuzz", 0, offset++, 0L, null, input), 0L);
            }
            int before = harness.extractOutputValues().size();
            harness.processElement(new KafkaRecord("fuzz", 0, offset, 0L, null, good), 0L);
            assertThat(harness.extractOutputValues().size()).as("points of the good record after the fuzz")
                    .isGreaterThan(before);
            List<DeadLetter> letters = new ArrayList<>();
            if (harness.getSideOutput(DeadLetters.TAG) != null) {
                harness.getSideOutput(DeadLetters.TAG).forEach(r -> letters.add(r.getValue()));
            }
            return letters;
        }
    }

    private static List<byte[]> hostileInputs(byte[] real, Random random) {
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] noise = new byte[random.nextInt(2_000)];
            random.nextBytes(noise);
            inputs.add(noise);
        }
        for (int i = 0; i < 200; i++) {
            inputs.add(Arrays.copyOf(real, random.nextInt(real.length)));
        }
        for (int i = 0; i < 100; i++) {
            byte[] flipped = real.clone();
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
            inputs.add(flipped);
        }
        byte[] oversized = new byte[16 * 1024 * 1024];
        random.nextBytes(oversized);
        inputs.add(oversized);
        return inputs;
    }

    @ParameterizedTest
    @EnumSource(OtlpEncoding.class)
    void decodeMetrics_randomTruncatedCorruptedAndOversized_deadLettersAndStaysAlive(OtlpEncoding encoding)
            throws Exception {
        byte[] real = encoding.write(CollectorMessages.everyMetricType());
        List<byte[]> inputs = hostileInputs(real, new Random(SEED));

        List<DeadLetter> letters = feed(new DecodeOtlpMetricsFunction(encoding), inputs, real);

        // corrupted bytes may still form a valid request; everything else must have become a dead letter
        assertThat(letters).hasSizeGreaterThanOrEqualTo(300);
        assertThat(letters).allSatisfy(letter -> {
            assertThat(letter.getReason()).isNotBlank().isNotEqualTo(DecodeOtlpMetricsFunction.DECODER_FAILURE);
            assertThat(letter.getSourceTopic()).isEqualTo("fuzz");
        });
    }

    @Test
    void decodeMetrics_attributesNested10000Deep_deadLetterInBothEncodings() throws Exception {
        byte[] good = CollectorMessages.everyMetricTypeProto();

        List<DeadLetter> proto = feed(new DecodeOtlpMetricsFunction(), List.of(deeplyNestedProtobuf()), good);
        List<DeadLetter> json = feed(new DecodeOtlpMetricsFunction(OtlpEncoding.OTLP_JSON), List.of(deeplyNestedJson()),
                CollectorMessages.everyMetricTypeJson());

        assertThat(proto).singleElement().satisfies(letter ->
                assertThat(letter.getReason()).isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF));
        assertThat(json).singleElement().satisfies(letter ->
                assertThat(letter.getReason()).isEqualTo(OtlpDecodeException.MALFORMED_JSON));
    }

    @Test
    void decodeCloudEvents_hostileJson_deadLettersAndStaysAlive() throws Exception {
        byte[] real = CloudEventNormalizerTest.ALARM_EVENT.getBytes(StandardCharsets.UTF_8);
        List<byte[]> inputs = hostileInputs(real, new Random(SEED));
        inputs.add(deeplyNestedJson());

        List<DeadLetter> letters = feed(new DecodeCloudEventsFunction(), inputs, real);

        assertThat(letters).hasSizeGreaterThanOrEqualTo(inputs.size() - 100);
        assertThat(letters).allSatisfy(letter ->
                assertThat(letter.getReason()).isNotEqualTo(DecodeCloudEventsFunction.DECODER_FAILURE));
    }

    /**
     * A metrics request whose one gauge point carries an attribute whose value is a kvlist nested
     * {@value #NESTING} deep. Written byte by byte, from the innermost value outwards, because the generated
     * builders would recurse as deep as the nesting to serialize it.
     */
    static byte[] deeplyNestedProtobuf() {
        byte[] anyValue = field(1, "leaf".getBytes(StandardCharsets.UTF_8)); // AnyValue.string_value
        for (int i = 0; i < NESTING; i++) {
            byte[] keyValue = concat(field(1, "k".getBytes(StandardCharsets.UTF_8)), field(2, anyValue));
            byte[] keyValueList = field(1, keyValue);                      // KeyValueList.values
            anyValue = field(6, keyValueList);                             // AnyValue.kvlist_value
        }
        byte[] attribute = concat(field(1, "nested".getBytes(StandardCharsets.UTF_8)), field(2, anyValue));
        byte[] timeField = new byte[] {0x19, 1, 0, 0, 0, 0, 0, 0, 0};      // NumberDataPoint.time_unix_nano (fixed64)
        byte[] point = concat(timeField, field(7, attribute));             // NumberDataPoint.attributes
        byte[] gauge = field(1, point);                                    // Gauge.data_points
        byte[] metric = concat(field(1, "deep".getBytes(StandardCharsets.UTF_8)), field(5, gauge));
        byte[] scopeMetrics = field(2, metric);                            // ScopeMetrics.metrics
        byte[] resourceMetrics = field(2, scopeMetrics);                   // ResourceMetrics.scope_metrics
        return field(1, resourceMetrics);                                  // ExportMetricsServiceRequest.resource_metrics
    }

    static byte[] deeplyNestedJson() {
        StringBuilder json = new StringBuilder("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"deep\","
                + "\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\"1\",\"asDouble\":1,\"attributes\":[{\"key\":\"nested\",\"value\":");
        json.append("{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":".repeat(NESTING));
        json.append("{\"stringValue\":\"leaf\"}");
        json.append("}]}}".repeat(NESTING));
        json.append("}]}]}}]}]}]}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] field(int number, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 6);
        writeVarint(out, ((long) number << 3) | 2);
        writeVarint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
