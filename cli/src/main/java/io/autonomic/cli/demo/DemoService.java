package io.autonomic.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small HTTP service that the demo runs as a real child process. It serves {@code /work} (optionally calling a
 * downstream service), reports OpenTelemetry metrics over OTLP/HTTP every second, and accepts fault injections:
 * {@code POST /fault/5xx} wedges it so that every request fails until the process restarts, and
 * {@code POST /fault/fill-logs} fills its log directory with rotated log files.
 *
 * <p>With {@code --database URL} every request first queries the demo database ({@link DemoDatabase}), retrying
 * a failed query once, as a driver retries a transient I/O error; a request whose query fails twice fails with
 * 500. Each query attempt is a client span ({@code peer.service} = the database's name, {@code db.system.name}),
 * exported over OTLP/HTTP, from which ingest derives the observed dependency edge service → database.
 *
 * <p>Usage: {@code DemoService --name checkout --port 8081 --otlp http://localhost:4318 --log-dir DIR
 * [--downstream http://localhost:8082] [--database http://localhost:8090 --database-name orders-db]
 * [--log-quota-mb 20]}.
 */
public final class DemoService {

    static final AttributeKey<String> STATUS = AttributeKey.stringKey("http.response.status_code");
    static final AttributeKey<String> LOG_DIR = AttributeKey.stringKey("log.dir");
    static final Duration DATABASE_CONNECT_WAIT = Duration.ofSeconds(15);

    private final String name;
    private final URI downstream;
    private final URI database;
    private final String databaseName;
    private final Path logDir;
    private final long logQuotaBytes;
    private final AtomicBoolean wedged = new AtomicBoolean();
    private final java.util.List<byte[]> leaked = new java.util.ArrayList<>();
    private final Deque<long[]> recent = new ArrayDeque<>(); // {epochMillis, failed ? 1 : 0}
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private LongCounter requests;
    private DoubleHistogram duration;
    private LongCounter downstreamErrors;
    private LongCounter databaseErrors;
    private Tracer tracer;

    private DemoService(String name, URI downstream, URI database, String databaseName, Path logDir,
            long logQuotaBytes) {
        this.name = name;
        this.downstream = downstream;
        this.database = database;
        this.databaseName = databaseName;
        this.logDir = logDir;
        this.logQuotaBytes = logQuotaBytes;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String name = require(opts, "name");
        int port = Integer.parseInt(require(opts, "port"));
        String otlp = require(opts, "otlp");
        Path logDir = Path.of(require(opts, "log-dir"));
        Files.createDirectories(logDir);
        URI downstream = opts.containsKey("downstream") ? URI.create(opts.get("downstream")) : null;
        long quota = Long.parseLong(opts.getOrDefault("log-quota-mb", "20")) * 1024 * 1024;
        String host = opts.getOrDefault("host-name", "demo-host");
        URI database = opts.containsKey("database") ? URI.create(opts.get("database")) : null;
        String databaseName = opts.getOrDefault("database-name", DemoDatabase.NAME);

        DemoService service = new DemoService(name, downstream, database, databaseName, logDir, quota);
        Resource resource = DemoTelemetry.resource(name, host);
        SdkMeterProvider meterProvider = DemoTelemetry.meterProvider(resource, otlp);
        service.instrument(meterProvider.get("io.autonomic.demo"));
        // Spans only when there is a database to call: they are what the observed dependency graph is built from.
        SdkTracerProvider tracerProvider = database == null ? null : SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                                .setEndpoint(otlp + "/v1/traces")
                                .setTimeout(Duration.ofSeconds(5))
                                .build())
                        .setScheduleDelay(Duration.ofSeconds(1))
                        .build())
                .build();
        if (tracerProvider != null) {
            service.tracer = tracerProvider.get("io.autonomic.demo");
        }

        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 64);
        // enough threads that requests waiting on a slow database queue in the database, not here
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/work", service::work);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
        server.createContext("/fault/5xx", exchange -> {
            service.wedged.set(true);
            respond(exchange, 202, "wedged: every request now fails until restart");
        });
        server.createContext("/fault/leak", exchange -> {
            long retained = service.leak();
            respond(exchange, 202, "leaking: " + retained + " bytes retained until restart");
        });
        server.createContext("/fault/fill-logs", exchange -> {
            long written = service.fillLogs();
            respond(exchange, 202, "wrote " + written + " bytes of rotated logs");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            meterProvider.close();
            if (tracerProvider != null) {
                tracerProvider.close();
            }
        }));
        server.start();
        service.log("started on port " + port);
        System.out.println("READY " + name + " " + port);
        System.out.flush();
    }

    private static String require(Map<String, String> opts, String key) {
        String value = opts.get(key);
        if (value == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return value;
    }

    private void instrument(Meter meter) {
        requests = meter.counterBuilder("http.server.request.count").setUnit("{request}").build();
        downstreamErrors = meter.counterBuilder("http.client.error.count").setUnit("{request}").build();
        databaseErrors = meter.counterBuilder("db.client.error.count").setUnit("{query}")
                .setDescription("database queries that failed, retries included").build();
        duration = meter.histogramBuilder("http.server.request.duration").setUnit("s").build();
        meter.gaugeBuilder("http.server.error_ratio").setUnit("1")
                .setDescription("share of failed requests over the last 5 seconds")
                .buildWithCallback(m -> m.record(errorRatio()));
        meter.gaugeBuilder("process.log_dir.utilization").setUnit("1")
                .setDescription("bytes in the log directory divided by its quota")
                .buildWithCallback(m -> m.record((double) directoryBytes() / logQuotaBytes,
                        Attributes.of(LOG_DIR, logDir.toAbsolutePath().toString())));
        meter.gaugeBuilder("process.runtime.jvm.memory.used").setUnit("By")
                .buildWithCallback(m -> m.record(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()));
        meter.gaugeBuilder("process.runtime.jvm.memory.utilization").setUnit("1")
                .setDescription("heap in use after the last collection, divided by the maximum heap")
                .buildWithCallback(m -> m.record(heapUtilization()));
    }

    /**
     * Live old-generation heap as of the last full collection, over the old generation's maximum: what heap
     * pressure means (garbage waiting for the next collection does not count). 0 before the first full collection.
     */
    private static double heapUtilization() {
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            boolean oldGeneration = pool.getName().contains("Tenured") || pool.getName().contains("Old Gen");
            java.lang.management.MemoryUsage afterCollection = pool.getCollectionUsage();
            if (pool.getType() == java.lang.management.MemoryType.HEAP && oldGeneration && afterCollection != null
                    && pool.getUsage().getMax() > 0) {
                return (double) afterCollection.getUsed() / pool.getUsage().getMax();
            }
        }
        return 0.0;
    }

    /**
     * Retains heap, like a cache that never evicts, until about 90% of the old generation is live. It stays below
     * the old generation's size, so the service keeps serving (slowly collecting) rather than dying of an
     * OutOfMemoryError.
     */
    private synchronized long leak() {
        long retained = 0;
        long cap = Runtime.getRuntime().maxMemory();
        while (heapUtilization() < 0.9 && retained < cap) {
            for (int i = 0; i < 4; i++) {
                leaked.add(new byte[1024 * 1024]);
                retained += 1024 * 1024;
            }
            System.gc(); // a full collection measures what is really live
        }
        log("heap leak: " + retained + " bytes retained");
        return retained;
    }

    private void work(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        int status;
        String body;
        if (wedged.get()) {
            status = 503;
            body = "wedged";
        } else if (database != null && !queryDatabase() && !queryDatabase()) {
            status = 500;
            body = name + " failed: " + databaseName + " query failed twice";
        } else {
            status = 200;
            body = name + " ok";
            if (downstream != null) {
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(downstream.resolve("/work"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() >= 500) {
                        downstreamErrors.add(1);
                        body = name + " ok (degraded: downstream failed, served from cache)";
                    }
                } catch (IOException e) {
                    downstreamErrors.add(1);
                    body = name + " ok (degraded: downstream unreachable)";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        record(status >= 500);
        requests.add(1, Attributes.of(STATUS, String.valueOf(status)));
        duration.record((System.nanoTime() - started) / 1e9);
        respond(exchange, status, body);
    }

    /** One query attempt against the database, traced as a client span; true when it answered. */
    private boolean queryDatabase() {
        Span span = tracer.spanBuilder("SELECT orders")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("peer.service", databaseName)
                .setAttribute("db.system.name", "other_sql")
                .setAttribute("db.operation.name", "SELECT")
                .setAttribute("db.collection.name", "orders")
                .setAttribute("server.address", database.getHost())
                .setAttribute("server.port", (long) database.getPort())
                .startSpan();
        try {
            HttpResponse<String> response = sendQuery();
            if (response.statusCode() == 200) {
                return true;
            }
            span.setStatus(StatusCode.ERROR, response.body());
            span.setAttribute("error.type", "db_io_error");
        } catch (IOException e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            span.setAttribute("error.type", e.getClass().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            span.setStatus(StatusCode.ERROR, "interrupted");
        } finally {
            span.end();
        }
        databaseErrors.add(1);
        return false;
    }

    /**
     * Sends the query; while the database refuses connections (it is restarting) waits for it up to
     * {@link #DATABASE_CONNECT_WAIT}, as a connection pool does, so that a restart slows requests instead of failing
     * them.
     */
    private HttpResponse<String> sendQuery() throws IOException, InterruptedException {
        Instant giveUp = Instant.now().plus(DATABASE_CONNECT_WAIT);
        HttpRequest request = HttpRequest.newBuilder(database.resolve(DemoDatabase.QUERY_PATH))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException refused) {
                if (Instant.now().isAfter(giveUp)) {
                    throw refused;
                }
                Thread.sleep(100);
            }
        }
    }

    private synchronized void record(boolean failed) {
        long now = System.currentTimeMillis();
        recent.addLast(new long[] {now, failed ? 1 : 0});
        trim(now);
    }

    private synchronized double errorRatio() {
        trim(System.currentTimeMillis());
        if (recent.isEmpty()) {
            return 0.0;
        }
        long failed = recent.stream().filter(r -> r[1] == 1).count();
        return (double) failed / recent.size();
    }

    private void trim(long now) {
        while (!recent.isEmpty() && recent.peekFirst()[0] < now - 5_000) {
            recent.removeFirst();
        }
    }

    private long fillLogs() {
        byte[] line = (Instant.now() + " INFO " + name + " request handled; padding to simulate a chatty logger "
                + "x".repeat(900) + "\n").getBytes(StandardCharsets.UTF_8);
        long target = (long) (logQuotaBytes * 0.95);
        long written = 0;
        int index = 1;
        while (directoryBytes() < target) {
            Path rotated = logDir.resolve(name + ".log." + index++);
            try (OutputStream out = Files.newOutputStream(rotated, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (int i = 0; i < 1024; i++) {
                    out.write(line);
                    written += line.length;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        log("log directory filled: " + written + " bytes in rotated files");
        return written;
    }

    private long directoryBytes() {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDir)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    total += Files.size(file);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    private void log(String message) {
        try (Writer out = Files.newBufferedWriter(logDir.resolve(name + ".log"), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            out.write(Instant.now() + " INFO " + name + " " + message + "\n");
        } catch (IOException e) {
            System.err.println("cannot write log: " + e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
