package io.autonomic.ingest.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.ingest.OtlpDecodeException;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.ingest.logs.DecodeOtlpFunction;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpSpansDecoderTest {

    private static List<SpanSample> decodeAll(OtlpEncoding encoding, List<byte[]> bodies) throws Exception {
        List<SpanSample> samples = new ArrayList<>();
        for (byte[] body : bodies) {
            DecodeOtlpFunction.Decoded<SpanSample> decoded = new OtlpSpansDecoder(encoding).decode(body, 0);
            assertThat(decoded.problemReason()).isNull();
            samples.addAll(decoded.items());
        }
        return samples;
    }

    @Test
    void decode_realSdkExport_servicesAndEdgesWithErrors() throws Exception {
        List<SpanSample> samples = decodeAll(OtlpEncoding.OTLP_PROTO, OtlpCapture.checkoutSpans(3, 0));

        assertThat(samples).hasSize(9);
        assertThat(samples).filteredOn(s -> s.role == SpanSample.Role.SERVICE)
                .extracting(s -> s.caller, s -> s.error, s -> s.durationMillis, s -> s.protocol)
                .containsExactlyInAnyOrder(tuple("checkout", true, 8.0, "http"), tuple("checkout", false, 8.0, "http"),
                        tuple("checkout", false, 8.0, "http"));
        assertThat(samples).filteredOn(s -> s.role == SpanSample.Role.EDGE)
                .extracting(SpanSample::edgeKey, s -> s.protocol, s -> s.error)
                .containsExactlyInAnyOrder(
                        tuple("checkout->inventory", "http", false), tuple("checkout->inventory", "http", false),
                        tuple("checkout->inventory", "http", false),
                        tuple("checkout->postgresql", "db:postgresql", false),
                        tuple("checkout->postgresql", "db:postgresql", true),
                        tuple("checkout->postgresql", "db:postgresql", false));
        assertThat(samples.get(0).resource.getId()).isEqualTo("process:host-1/checkout");
        assertThat(samples).allSatisfy(s -> assertThat(s.timestampMillis).isBetween(
                OtlpCapture.T0.toEpochMilli(), OtlpCapture.T0.toEpochMilli() + 100));
    }

    @Test
    void decode_otlpJsonOfSameExport_sameSamples() throws Exception {
        List<byte[]> proto = OtlpCapture.checkoutSpans(2, 0);
        List<byte[]> json = new ArrayList<>();
        for (byte[] body : proto) {
            json.add(OtlpEncoding.OTLP_JSON.write(ExportTraceServiceRequest.parseFrom(body)));
        }
        assertThat(decodeAll(OtlpEncoding.OTLP_JSON, json)).isEqualTo(decodeAll(OtlpEncoding.OTLP_PROTO, proto));
    }

    @Test
    void decode_garbage_isMalformed() {
        assertThatThrownBy(() -> new OtlpSpansDecoder(OtlpEncoding.OTLP_PROTO)
                .decode("not protobuf at all".getBytes(StandardCharsets.UTF_8), 0))
                .isInstanceOfSatisfying(OtlpDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF));
    }

    @Test
    void failed_grpcAndHttpCodes_followSemanticConventions() {
        var span = io.opentelemetry.proto.trace.v1.Span.getDefaultInstance();
        assertThat(OtlpSpansDecoder.failed(span, java.util.Map.of("rpc.grpc.status_code", "14"), true)).isTrue();
        assertThat(OtlpSpansDecoder.failed(span, java.util.Map.of("rpc.grpc.status_code", "5"), true)).isFalse();
        assertThat(OtlpSpansDecoder.failed(span, java.util.Map.of("rpc.grpc.status_code", "5"), false)).isTrue();
        assertThat(OtlpSpansDecoder.failed(span, java.util.Map.of("http.status_code", "404"), true)).isFalse();
        assertThat(OtlpSpansDecoder.failed(span, java.util.Map.of("http.status_code", "404"), false)).isTrue();
        assertThat(OtlpSpansDecoder.callee(java.util.Map.of("messaging.system", "kafka"))).isEqualTo("kafka");
    }
}
