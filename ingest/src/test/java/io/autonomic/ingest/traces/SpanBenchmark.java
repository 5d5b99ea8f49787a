package io.autonomic.ingest.traces;

import com.google.protobuf.ByteString;
import io.autonomic.ingest.OtlpEncoding;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spans decoded into RED samples per second, next to a bare protobuf parse of the same bytes (the ceiling). One
 * operation is one request of {@value #SPANS} spans (a typical batch exporter request): divide ops/s by it for
 * spans/s. Run: see docs/traces.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SpanBenchmark {

    static final int SPANS = 512;
    private byte[] request;
    private OtlpSpansDecoder decoder;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        long t0 = 1_767_607_200_000_000_000L;
        for (int i = 0; i < SPANS; i++) {
            boolean server = i % 3 == 0;
            Span.Builder span = Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(bytes(random, 16)))
                    .setSpanId(ByteString.copyFrom(bytes(random, 8)))
                    .setName(server ? "POST /pay" : "GET /stock")
                    .setKind(server ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(t0 + i * 1_000_000L)
                    .setEndTimeUnixNano(t0 + i * 1_000_000L + random.nextInt(50_000_000))
                    .addAttributes(kv("http.request.method", server ? "POST" : "GET"))
                    .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                            .setValue(AnyValue.newBuilder().setIntValue(random.nextInt(100) == 0 ? 503 : 200)));
            if (!server) {
                span.addAttributes(kv("server.address", "inventory")).addAttributes(kv("peer.service", "inventory"));
            }
            scope.addSpans(span);
        }
        request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAllAttributes(List.of(kv("service.name", "checkout"),
                                kv("host.name", "host-1"), kv("telemetry.sdk.language", "java"))))
                        .addScopeSpans(scope))
                .build().toByteArray();
        decoder = new OtlpSpansDecoder(OtlpEncoding.OTLP_PROTO);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    @Benchmark
    public Object decodeSpans() throws Exception {
        return decoder.decode(request, 0);
    }

    @Benchmark
    public Object bareProtobufParse() throws Exception {
        return ExportTraceServiceRequest.parseFrom(request);
    }
}
