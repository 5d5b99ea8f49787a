package io.autonomic.ingest.bench;

import io.autonomic.ingest.DecodeResult;
import io.autonomic.ingest.OtlpDecodeException;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.ingest.OtlpMetricsDecoder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Decoded metric points per second on one thread (so per core): {@link OtlpMetricsDecoder} on a serialized export
 * request of {@value BenchmarkRequests#METRIC_POINTS} points, next to {@code parse}, the bare parse of the same
 * bytes into the generated request class, which no decoder can beat. Both count one operation per point, so the
 * two scores compare directly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@OperationsPerInvocation(BenchmarkRequests.METRIC_POINTS)
public class MetricsDecodeBenchmark {

    @Param({"otlp_proto", "otlp_json"})
    public String encoding;

    private OtlpEncoding payloadEncoding;
    private byte[] payload;
    private OtlpMetricsDecoder decoder;

    @Setup
    public void setUp() throws OtlpDecodeException {
        payloadEncoding = OtlpEncoding.fromName(encoding);
        payload = payloadEncoding.write(BenchmarkRequests.metrics());
        decoder = new OtlpMetricsDecoder();
        int points = decoder.decodeWithProblems(payload, payloadEncoding).points().size();
        if (points != BenchmarkRequests.METRIC_POINTS) {
            throw new IllegalStateException("the benchmark request decodes to " + points + " points, not "
                    + BenchmarkRequests.METRIC_POINTS + "; fix METRIC_POINTS");
        }
    }

    @Benchmark
    public DecodeResult decode() throws OtlpDecodeException {
        return decoder.decodeWithProblems(payload, payloadEncoding);
    }

    @Benchmark
    public ExportMetricsServiceRequest parse() throws Exception {
        return payloadEncoding.parseMetrics(payload);
    }
}
