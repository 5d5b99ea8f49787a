package io.autonomic.ingest.traces;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local OTLP/HTTP endpoint that records the request bodies the real OpenTelemetry SDK exporters send, so tests
 * feed the pipeline exactly the bytes a client produces. Also the scripted telemetry of a small checkout service.
 */
public final class OtlpCapture implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    private final HttpServer server;
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();

    public OtlpCapture() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bodies.add(in.readAllBytes());
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    public String endpoint(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<byte[]> bodies() {
        return List.copyOf(bodies);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static Resource resource(String service, String host) {
        return Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), service, AttributeKey.stringKey("host.name"), host)));
    }

    /**
     * Spans of checkout on host-1 ending {@code offsetSeconds} after {@link #T0}: a server span per request (one
     * answered 503), each calling inventory over HTTP and postgres, exported by the SDK's OTLP/HTTP exporter.
     */
    public static List<byte[]> checkoutSpans(int requests, long offsetSeconds) {
        return spans("checkout", requests, offsetSeconds);
    }

    /** Like {@link #checkoutSpans} for another service. */
    public static List<byte[]> spans(String service, int requests, long offsetSeconds) {
        try (OtlpCapture capture = new OtlpCapture()) {
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(resource(service, "host-1"))
                    .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                            .setEndpoint(capture.endpoint("/v1/traces")).build()).build())
                    .build();
            Tracer tracer = provider.get("checkout-test");
            Instant base = T0.plusSeconds(offsetSeconds);
            for (int i = 0; i < requests; i++) {
                Instant start = base.plusMillis(i * 10L);
                Span server = tracer.spanBuilder("POST /pay").setSpanKind(SpanKind.SERVER).setStartTimestamp(start)
                        .setAttribute("http.request.method", "POST")
                        .setAttribute("http.response.status_code", i == 0 ? 503L : 200L).startSpan();
                Context parent = Context.root().with(server);
                Span inventory = tracer.spanBuilder("GET /stock").setSpanKind(SpanKind.CLIENT).setParent(parent)
                        .setStartTimestamp(start.plusMillis(1)).setAttribute("http.request.method", "GET")
                        .setAttribute("server.address", "inventory").setAttribute("peer.service", "inventory")
                        .setAttribute("http.response.status_code", 200L).startSpan();
                inventory.end(start.plusMillis(5));
                Span db = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT).setParent(parent)
                        .setStartTimestamp(start.plusMillis(5)).setAttribute("db.system.name", "postgresql").startSpan();
                if (i == 1) {
                    db.setStatus(StatusCode.ERROR, "deadlock");
                }
                db.end(start.plusMillis(7));
                server.end(start.plusMillis(8));
            }
            provider.forceFlush().join(10, TimeUnit.SECONDS);
            provider.shutdown().join(10, TimeUnit.SECONDS);
            return capture.bodies();
        }
    }

    /** Log records of checkout on host-1 at {@link #T0} + {@code offsetSeconds}, exported over OTLP/HTTP. */
    public static List<byte[]> checkoutLogs(List<String> bodies, long offsetSeconds) {
        try (OtlpCapture capture = new OtlpCapture()) {
            SdkLoggerProvider provider = SdkLoggerProvider.builder()
                    .setResource(resource("checkout", "host-1"))
                    .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpHttpLogRecordExporter.builder()
                            .setEndpoint(capture.endpoint("/v1/logs")).build()).build())
                    .build();
            Logger logger = provider.get("checkout-test");
            for (int i = 0; i < bodies.size(); i++) {
                logger.logRecordBuilder()
                        .setTimestamp(T0.plusSeconds(offsetSeconds).plusMillis(i))
                        .setSeverity(bodies.get(i).contains("OutOfMemory") ? Severity.ERROR : Severity.INFO)
                        .setSeverityText(bodies.get(i).contains("OutOfMemory") ? "ERROR" : "INFO")
                        .setBody(bodies.get(i))
                        .setAttribute(AttributeKey.stringKey("thread"), "main")
                        .emit();
            }
            provider.forceFlush().join(10, TimeUnit.SECONDS);
            provider.shutdown().join(10, TimeUnit.SECONDS);
            return capture.bodies();
        }
    }
}
