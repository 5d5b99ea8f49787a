package io.autonomic.ingest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.ingest.OtlpDecodeException;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.ingest.traces.OtlpCapture;
import io.autonomic.ingest.traces.OtlpSpansDecoder;
import io.autonomic.ingest.traces.SpanSample;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class DecodeOtlpFunctionTest {

    private static KafkaRecord record(long offset, byte[] value) {
        return new KafkaRecord("otlp_spans", 0, offset, 0, null, value);
    }

    private static List<String> reasons(OneInputStreamOperatorTestHarness<?, ?> harness) {
        List<String> reasons = new ArrayList<>();
        if (harness.getSideOutput(DeadLetters.TAG) != null) {
            for (StreamRecord<DeadLetter> letter : harness.getSideOutput(DeadLetters.TAG)) {
                reasons.add(letter.getValue().getReason());
            }
        }
        return reasons;
    }

    @Test
    void processElement_randomAndTruncatedBytes_becomeDeadLettersNeverExceptions() throws Exception {
        byte[] real = OtlpCapture.checkoutSpans(5, 0).get(0);
        Random random = new Random(7);
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeOtlpFunction<>(
                new OtlpSpansDecoder(OtlpEncoding.OTLP_PROTO), TypeInformation.of(SpanSample.class), "decodedSpans"))) {
            int sent = 0;
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[1 + random.nextInt(300)];
                random.nextBytes(garbage);
                harness.processElement(record(sent++, garbage), 0);
                harness.processElement(record(sent++, Arrays.copyOf(real, 1 + random.nextInt(real.length - 1))), 0);
            }
            harness.processElement(record(sent++, new byte[0]), 0);
            harness.processElement(record(sent++, null), 0);
            harness.processElement(record(sent++, real), 0);

            List<String> reasons = reasons(harness);
            assertThat(reasons).contains(DecodeOtlpFunction.EMPTY_RECORD, OtlpDecodeException.MALFORMED_PROTOBUF)
                    .doesNotContain(DecodeOtlpFunction.DECODER_FAILURE);
            // every record is either decoded or dead-lettered: a truncated request may still parse as a shorter one
            assertThat(harness.extractOutputValues()).hasSizeGreaterThanOrEqualTo(15);
        }
    }

    @Test
    void processElement_spanEndingBeforeItStarts_dropsItAndDeadLettersTheRecordKeepingTheRest() throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(Span.newBuilder().setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                .setStartTimeUnixNano(2_000_000).setEndTimeUnixNano(1_000_000))
                        .addSpans(Span.newBuilder().setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                .setStartTimeUnixNano(1_000_000).setEndTimeUnixNano(3_000_000))))
                .build();
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeOtlpFunction<>(
                new OtlpSpansDecoder(OtlpEncoding.OTLP_PROTO), TypeInformation.of(SpanSample.class), "decodedSpans"))) {
            harness.processElement(record(0, request.toByteArray()), 0);

            assertThat(harness.extractOutputValues()).singleElement()
                    .satisfies(s -> assertThat(s.durationMillis).isEqualTo(2.0));
            assertThat(reasons(harness)).containsExactly(OtlpSpansDecoder.INVALID_SPAN_TIME);
        }
    }

    @Test
    void processElement_jsonLogsConfiguredAsJson_decode() throws Exception {
        byte[] proto = OtlpCapture.checkoutLogs(List.of("hello"), 0).get(0);
        byte[] json = OtlpEncoding.OTLP_JSON.write(
                io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.parseFrom(proto));
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodeOtlpFunction<>(
                new OtlpLogsDecoder(OtlpEncoding.OTLP_JSON), TypeInformation.of(LogEvent.class), "decodedLogRecords"))) {
            harness.processElement(record(0, json), 0);
            harness.processElement(record(1, proto), 0);

            assertThat(harness.extractOutputValues()).extracting(LogEvent::getBody).containsExactly("hello");
            assertThat(reasons(harness)).containsExactly(OtlpDecodeException.MALFORMED_PROTOBUF);
        }
    }
}
