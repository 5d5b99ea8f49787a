package io.autonomic.ingest.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.autonomic.ingest.OtlpDecodeException;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.ingest.traces.OtlpCapture;
import io.autonomic.schemas.avro.LogEvent;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpLogsDecoderTest {

    @Test
    void decode_realSdkExport_severityBodyAttributesAndResource() throws Exception {
        List<byte[]> bodies = OtlpCapture.checkoutLogs(List.of("payment accepted for order 17",
                "java.lang.OutOfMemoryError: Java heap space"), 0);
        List<LogEvent> events = new java.util.ArrayList<>();
        for (byte[] body : bodies) {
            events.addAll(new OtlpLogsDecoder(OtlpEncoding.OTLP_PROTO).decode(body, 0).items());
        }
        assertThat(events).hasSize(2);
        LogEvent oom = events.get(1);
        assertThat(oom.getBody()).isEqualTo("java.lang.OutOfMemoryError: Java heap space");
        assertThat(oom.getSeverityNumber()).isEqualTo(17);
        assertThat(oom.getSeverityText()).isEqualTo("ERROR");
        assertThat(OtlpLogsDecoder.severityBucket(oom)).isEqualTo("ERROR");
        assertThat(oom.getAttributes()).containsEntry("thread", "main");
        assertThat(oom.getResource().getId()).isEqualTo("process:host-1/checkout");
        assertThat(oom.getTimestampMillis()).isEqualTo(OtlpCapture.T0.toEpochMilli() + 1);
        assertThat(oom.getTraceId()).isNull();
    }

    @Test
    void decode_structuredBodyAndTraceContext_flattenedAndHex() throws Exception {
        LogRecord record = LogRecord.newBuilder()
                .setObservedTimeUnixNano(5_000_000L)
                .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(KeyValue.newBuilder().setKey("b").setValue(AnyValue.newBuilder().setIntValue(2)))
                        .addValues(KeyValue.newBuilder().setKey("a").setValue(AnyValue.newBuilder().setStringValue("x")))))
                .setTraceId(ByteString.copyFrom(new byte[] {0x0a, 0x0b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0xff}))
                .build();
        byte[] payload = OtlpEncoding.OTLP_JSON.write(ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record)))
                .build());

        LogEvent event = new OtlpLogsDecoder(OtlpEncoding.OTLP_JSON).decode(payload, 0).items().get(0);

        assertThat(event.getBody()).isEqualTo("{\"a\":\"x\",\"b\":2}");
        assertThat(event.getTimestampMillis()).isEqualTo(5);
        assertThat(event.getTraceId()).isEqualTo("0a0b0102030405060708090a0b0c0d0e");
        assertThat(event.getSpanId()).isEqualTo("01020304050607ff");
    }

    @Test
    void decode_emptyRequest_isDeadLetterReason() {
        assertThatThrownBy(() -> new OtlpLogsDecoder(OtlpEncoding.OTLP_PROTO).decode(new byte[0], 0))
                .isInstanceOfSatisfying(OtlpDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(OtlpDecodeException.EMPTY_REQUEST));
    }

    @Test
    void toText_absurdNesting_isCutNotOverflowing() {
        AnyValue value = AnyValue.newBuilder().setStringValue("leaf").build();
        for (int i = 0; i < 5_000; i++) {
            value = AnyValue.newBuilder().setArrayValue(io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                    .addValues(value)).build();
        }
        assertThat(io.autonomic.ingest.AttributeValues.toText(value)).contains("…").doesNotContain("leaf");
    }
}
