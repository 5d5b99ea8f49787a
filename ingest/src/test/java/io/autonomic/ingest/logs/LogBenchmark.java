package io.autonomic.ingest.logs;

import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.schemas.avro.LogEvent;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
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
 * Log records decoded (and decoded plus mined into templates with patterns) per second, next to a bare protobuf
 * parse of the same bytes. One operation is one request of {@value #RECORDS} records: divide ops/s by it for
 * records/s. Run: see docs/log-templates.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogBenchmark {

    static final int RECORDS = 512;
    private static final String[] SHAPES = {
        "order %d paid by user-%d in %d ms",
        "GET /api/items/%d returned 200 in %d ms from 10.0.%d.%d",
        "cache miss for key session:%d after %d lookups",
        "HikariPool-1 - Connection is not available, request timed out after %d ms (%d active)",
        "worker %d finished batch %d",
    };
    private byte[] request;
    private OtlpLogsDecoder decoder;
    private DrainMiner miner;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < RECORDS; i++) {
            String body = String.format(SHAPES[random.nextInt(SHAPES.length)], random.nextInt(10_000),
                    random.nextInt(500), random.nextInt(256), random.nextInt(256));
            scope.addLogRecords(LogRecord.newBuilder()
                    .setTimeUnixNano(1_767_607_200_000_000_000L + i * 1_000_000L)
                    .setSeverityNumberValue(9).setSeverityText("INFO")
                    .setBody(AnyValue.newBuilder().setStringValue(body))
                    .addAttributes(kv("thread", "main")));
        }
        request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder().addAllAttributes(List.of(kv("service.name", "checkout"),
                                kv("host.name", "host-1"))))
                        .addScopeLogs(scope))
                .build().toByteArray();
        decoder = new OtlpLogsDecoder(OtlpEncoding.OTLP_PROTO);
        miner = new DrainMiner(MinerConfig.DEFAULT);
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    @Benchmark
    public Object decodeLogs() throws Exception {
        return decoder.decode(request, 0);
    }

    @Benchmark
    public int decodeAndMineLogs() throws Exception {
        int sum = 0;
        for (LogEvent event : decoder.decode(request, 0).items()) {
            sum += miner.add(event.getBody()).templateId().length();
            sum += LogPatterns.recognize(event.getBody()).size();
        }
        return sum;
    }

    @Benchmark
    public Object bareProtobufParse() throws Exception {
        return ExportLogsServiceRequest.parseFrom(request);
    }
}
