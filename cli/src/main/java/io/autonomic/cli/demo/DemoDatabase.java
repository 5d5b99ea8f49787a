package io.autonomic.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo's database: a real child process that the demo services query on every request ({@code GET /query}).
 * It reports, over OTLP/HTTP every second, the gauges the diagnosis rules know a degrading database by:
 * {@code db.server.io.error_ratio} (share of queries failing with an I/O error over the last
 * {@value #ERROR_WINDOW_MILLIS} ms) and {@code db.server.query.duration.p99} (seconds, over the last
 * {@value #LATENCY_WINDOW_MILLIS} ms), plus a {@code db.server.query.count} counter.
 *
 * <p>{@code POST /fault/io-errors} stands in for a failing disk: from then on {@value #IO_ERROR_SHARE} of the
 * queries fail after an I/O wait of {@value #IO_ERROR_WAIT_MILLIS} ms, until the process is restarted — which is
 * what the playbook {@code restart-db-on-io-errors} does.
 *
 * <p>Usage: {@code DemoDatabase --name orders-db --port 8090 --otlp http://localhost:4318 --log-dir DIR
 * [--host-name demo-host]}.
 */
public final class DemoDatabase {

    /** The service name the demo's topology declares for its database (layer data). */
    public static final String NAME = "orders-db";
    /** The fault endpoint, {@code POST /fault/io-errors}. */
    public static final String IO_ERRORS_FAULT = "io-errors";

    static final String QUERY_PATH = "/query";
    static final double IO_ERROR_SHARE = 0.7;
    static final long IO_ERROR_WAIT_MILLIS = 150;
    /**
     * Shorter than the services' 5 s error window: the database sees its own failures as they happen, so its signal
     * leads the callers' (whose requests fail only because their queries did).
     */
    static final long ERROR_WINDOW_MILLIS = 2_000;
    static final long LATENCY_WINDOW_MILLIS = 5_000;

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("db.response.status");

    private final String name;
    private final Path logDir;
    private final AtomicBoolean failingDisk = new AtomicBoolean();
    /** Seeded: which queries fail is repeatable from run to run, only their timing is not. */
    private final SplittableRandom random = new SplittableRandom(42);
    private final Deque<long[]> recent = new ArrayDeque<>(); // {epochMillis, failed ? 1 : 0, durationMicros}
    private LongCounter queries;

    private DemoDatabase(String name, Path logDir) {
        this.name = name;
        this.logDir = logDir;
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
        String host = opts.getOrDefault("host-name", "demo-host");

        DemoDatabase database = new DemoDatabase(name, logDir);
        SdkMeterProvider meterProvider = DemoTelemetry.meterProvider(DemoTelemetry.resource(name, host), otlp);
        database.instrument(meterProvider.get("io.autonomic.demo.db"));

        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 128);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext(QUERY_PATH, database::query);
        server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
        server.createContext("/fault/" + IO_ERRORS_FAULT, exchange -> {
            database.failingDisk.set(true);
            database.log("I/O errors on the data volume: " + (int) (IO_ERROR_SHARE * 100) + "% of queries fail");
            respond(exchange, 202, "failing disk: " + (int) (IO_ERROR_SHARE * 100)
                    + "% of queries now fail with I/O errors until restart");
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            meterProvider.close();
        }));
        server.start();
        database.log("started on port " + port);
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
        queries = meter.counterBuilder("db.server.query.count").setUnit("{query}").build();
        meter.gaugeBuilder("db.server.io.error_ratio").setUnit("1")
                .setDescription("share of queries that failed with an I/O error over the last "
                        + ERROR_WINDOW_MILLIS / 1000 + " seconds")
                .buildWithCallback(m -> m.record(ioErrorRatio()));
        meter.gaugeBuilder("db.server.query.duration.p99").setUnit("s")
                .setDescription("99th percentile of query time over the last " + LATENCY_WINDOW_MILLIS / 1000
                        + " seconds")
                .buildWithCallback(m -> m.record(queryDurationP99Seconds()));
    }

    private void query(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        boolean failed = failingDisk.get() && nextFails();
        if (failed) {
            try {
                Thread.sleep(IO_ERROR_WAIT_MILLIS); // the read times out on the failing volume before it errors
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        record(failed, (System.nanoTime() - started) / 1_000);
        queries.add(1, Attributes.of(OUTCOME, failed ? "io_error" : "ok"));
        if (failed) {
            respond(exchange, 500, "ERROR: could not read block: Input/output error");
        } else {
            respond(exchange, 200, "1 row");
        }
    }

    private synchronized boolean nextFails() {
        return random.nextDouble() < IO_ERROR_SHARE;
    }

    private synchronized void record(boolean failed, long durationMicros) {
        long now = System.currentTimeMillis();
        recent.addLast(new long[] {now, failed ? 1 : 0, durationMicros});
        trim(now);
    }

    private synchronized double ioErrorRatio() {
        long now = System.currentTimeMillis();
        trim(now);
        long total = 0;
        long failed = 0;
        for (long[] query : recent) {
            if (query[0] >= now - ERROR_WINDOW_MILLIS) {
                total++;
                failed += query[1];
            }
        }
        return total == 0 ? 0.0 : (double) failed / total;
    }

    private synchronized double queryDurationP99Seconds() {
        trim(System.currentTimeMillis());
        if (recent.isEmpty()) {
            return 0.0;
        }
        long[] micros = recent.stream().mapToLong(q -> q[2]).toArray();
        Arrays.sort(micros);
        int index = (int) Math.ceil(0.99 * micros.length) - 1;
        return micros[Math.max(0, index)] / 1e6;
    }

    private void trim(long now) {
        while (!recent.isEmpty() && recent.peekFirst()[0] < now - LATENCY_WINDOW_MILLIS) {
            recent.removeFirst();
        }
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
