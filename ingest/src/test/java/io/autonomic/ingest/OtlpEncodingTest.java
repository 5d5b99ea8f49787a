package io.autonomic.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpEncodingTest {

    private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN_ID = "eee19b7ec3c1b174";

    @Test
    void parseTraces_otlpJsonWithHexIds_matchesProto() throws Exception {
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TRACE_ID + "\",\"spanId\":\""
                + SPAN_ID + "\",\"name\":\"GET /work\",\"kind\":2,\"startTimeUnixNano\":\"1544712660000000000\","
                + "\"endTimeUnixNano\":\"1544712661000000000\",\"unknownFutureField\":1}]}]}]}";

        ExportTraceServiceRequest parsed = OtlpEncoding.OTLP_JSON.parseTraces(json.getBytes(StandardCharsets.UTF_8));

        Span span = parsed.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo(TRACE_ID);
        assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray())).isEqualTo(SPAN_ID);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    }

    @Test
    void write_thenParse_roundTripsInBothEncodings() throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
                        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(TRACE_ID)))
                        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(SPAN_ID)))
                        .setName("SELECT orders"))))
                .build();
        for (OtlpEncoding encoding : OtlpEncoding.values()) {
            assertThat(encoding.parseTraces(encoding.write(request))).isEqualTo(request);
        }
        assertThat(new String(OtlpEncoding.OTLP_JSON.write(request), StandardCharsets.UTF_8)).contains(TRACE_ID);
    }

    @Test
    void parseMetrics_notJson_failsAsInvalidProtocolBuffer() {
        assertThatThrownBy(() -> OtlpEncoding.OTLP_JSON.parseMetrics("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> OtlpEncoding.OTLP_JSON.parseTraces(
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\"}]}]}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("traceId");
    }

    @Test
    void fromName_acceptsExporterNames() {
        assertThat(OtlpEncoding.fromName("otlp_json")).isEqualTo(OtlpEncoding.OTLP_JSON);
        assertThat(OtlpEncoding.fromName("otlp_proto")).isEqualTo(OtlpEncoding.OTLP_PROTO);
        assertThatThrownBy(() -> OtlpEncoding.fromName("raw")).hasMessageContaining("otlp_json");
    }
}
