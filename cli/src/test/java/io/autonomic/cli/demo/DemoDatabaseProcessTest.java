package io.autonomic.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.ingest.OtlpMetricsDecoder;
import io.autonomic.ingest.traces.OtlpSpansDecoder;
import io.autonomic.ingest.traces.SpanSample;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo database and a service that queries it, as real child processes, without the pipeline: what they export
 * over OTLP is captured and read with ingest's own decoders, so the test sees exactly the points and span samples the
 * pipeline would. Covers the healthy baseline, the {@code io-errors} fault (database signals and the caller's failed
 * requests), the observed edge, and recovery by restarting the database process.
 */
class DemoDatabaseProcessTest {

    private static final String DB_ID = "process:demo-host/" + DemoDatabase.NAME;
    private static final String CHECKOUT_ID = "process:demo-host/checkout";

    private final List<byte[]> metricBodies = new CopyOnWriteArrayList<>();
    private final List<byte[]> spanBodies = new CopyOnWriteArrayList<>();
    private HttpServer capture;

    @BeforeEach
    void startCapture() throws Exception {
        capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        capture.createContext("/v1/metrics", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                metricBodies.add(in.readAllBytes());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        capture.createContext("/v1/traces", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                spanBodies.add(in.readAllBytes());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        capture.start();
    }

    @AfterEach
    void stopCapture() {
        capture.stop(0);
    }

    @Test
    void ioErrors_raiseDatabaseSignalsAndCallerErrors_untilTheDatabaseRestarts(@TempDir Path workDir)
            throws Exception {
        String otlp = "http://127.0.0.1:" + capture.getAddress().getPort();
        try (DemoProcesses processes = new DemoProcesses(System.getProperty("java.class.path"), workDir, otlp)) {
            DemoProcesses.ServiceSpec database = DemoProcesses.ServiceSpec.database(DemoDatabase.NAME,
                    DemoRunner.FreePorts.next());
            processes.start(database);
            processes.start(DemoProcesses.ServiceSpec.service("checkout", DemoRunner.FreePorts.next(), null, database));

            try (LoadGenerator load = new LoadGenerator(processes.url("checkout"), 20)) {
                // healthy: queries answer, the caller's spans describe the edge checkout -> orders-db
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(latest(DB_ID, "db.server.io.error_ratio")).hasValue(0.0);
                    assertThat(latest(CHECKOUT_ID, "http.server.error_ratio")).hasValue(0.0);
                    assertThat(databaseCalls(false)).isNotEmpty();
                });
                SpanSample call = databaseCalls(false).get(0);
                assertThat(call.caller).isEqualTo("checkout");
                assertThat(call.protocol).isEqualTo("db:other_sql");
                assertThat(call.resource.getId()).isEqualTo(CHECKOUT_ID);
                assertThat(latest(DB_ID, "db.server.query.duration.p99").orElseThrow())
                        .isLessThan(DemoDatabase.IO_ERROR_WAIT_MILLIS / 1000.0);
                // the SDK's own otel.sdk.* metrics describe the exporter, not the process: dropped before export
                assertThat(exportedMetricNames()).contains("db.server.io.error_ratio", "http.server.error_ratio")
                        .noneMatch(metric -> metric.startsWith("otel.sdk."));

                processes.inject(DemoDatabase.NAME, DemoDatabase.IO_ERRORS_FAULT);
                // the database reports its I/O errors and slow queries; the caller's requests fail with it
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(latest(DB_ID, "db.server.io.error_ratio").orElseThrow()).isGreaterThan(0.1);
                    assertThat(latest(DB_ID, "db.server.query.duration.p99").orElseThrow())
                            .isGreaterThanOrEqualTo(DemoDatabase.IO_ERROR_WAIT_MILLIS / 1000.0);
                    assertThat(latest(CHECKOUT_ID, "http.server.error_ratio").orElseThrow()).isGreaterThan(0.2);
                    assertThat(databaseCalls(true)).isNotEmpty();
                });
                int pointsBeforeRestart = metricBodies.size();
                // for the record, not asserted (timing): the database's signal is expected to lead the caller's
                System.out.printf("io-errors: database above 0.1 at %s, checkout above 0.2 at %s (export times)%n",
                        firstAbove(DB_ID, "db.server.io.error_ratio", 0.1),
                        firstAbove(CHECKOUT_ID, "http.server.error_ratio", 0.2));

                processes.restart(Resource.newBuilder().setId(DB_ID).setKind(ResourceKind.HOST_PROCESS)
                        .setService(DemoDatabase.NAME).build());
                // a fresh process has a healthy disk; the caller's 5 s error window drains
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(metricBodies.size()).isGreaterThan(pointsBeforeRestart);
                    assertThat(latest(DB_ID, "db.server.io.error_ratio")).hasValue(0.0);
                    assertThat(latest(CHECKOUT_ID, "http.server.error_ratio")).hasValue(0.0);
                });
                assertThat(load.sent()).isPositive();
            }
        }
    }

    private java.util.Set<String> exportedMetricNames() throws Exception {
        OtlpMetricsDecoder decoder = new OtlpMetricsDecoder();
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (byte[] body : metricBodies) {
            decoder.decode(body).forEach(point -> names.add(point.getMetric()));
        }
        return names;
    }

    /** The value of the most recently exported point of {@code metric} on {@code resourceId}. */
    private Optional<Double> latest(String resourceId, String metric) throws Exception {
        OtlpMetricsDecoder decoder = new OtlpMetricsDecoder();
        TelemetryPoint latest = null;
        for (byte[] body : metricBodies) {
            for (TelemetryPoint point : decoder.decode(body)) {
                if (point.getResource().getId().equals(resourceId) && point.getMetric().equals(metric)
                        && (latest == null || point.getTimestampMillis() >= latest.getTimestampMillis())) {
                    latest = point;
                }
            }
        }
        return Optional.ofNullable(latest).map(TelemetryPoint::getValue);
    }

    private java.time.Instant firstAbove(String resourceId, String metric, double threshold) throws Exception {
        OtlpMetricsDecoder decoder = new OtlpMetricsDecoder();
        long first = Long.MAX_VALUE;
        for (byte[] body : metricBodies) {
            for (TelemetryPoint point : decoder.decode(body)) {
                if (point.getResource().getId().equals(resourceId) && point.getMetric().equals(metric)
                        && point.getValue() > threshold) {
                    first = Math.min(first, point.getTimestampMillis());
                }
            }
        }
        return first == Long.MAX_VALUE ? null : java.time.Instant.ofEpochMilli(first);
    }

    /** Client span samples from a caller to the database, as ingest's traces decoder reads them. */
    private List<SpanSample> databaseCalls(boolean failed) throws Exception {
        OtlpSpansDecoder decoder = new OtlpSpansDecoder(OtlpEncoding.OTLP_PROTO);
        List<SpanSample> calls = new ArrayList<>();
        for (byte[] body : spanBodies) {
            for (SpanSample sample : decoder.decode(body, 0).items()) {
                if (sample.role == SpanSample.Role.EDGE && DemoDatabase.NAME.equals(sample.callee)
                        && sample.error == failed) {
                    calls.add(sample);
                }
            }
        }
        return calls;
    }
}
