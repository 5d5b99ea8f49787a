package io.autonomic.cli.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic against an entry service, so the services have real requests, latencies and errors to report.
 * Requests are sent without waiting for the previous answer: a slow service (one waiting on a degraded database)
 * gets the same rate as a healthy one, as it would from real users.
 */
public final class LoadGenerator implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public LoadGenerator(URI target, int requestsPerSecond) {
        long periodMicros = 1_000_000L / requestsPerSecond;
        HttpRequest request = HttpRequest.newBuilder(target.resolve("/work")).timeout(Duration.ofSeconds(3)).build();
        scheduler.scheduleAtFixedRate(() -> {
            sent.incrementAndGet();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error != null || response.statusCode() >= 500) {
                    failed.incrementAndGet();
                }
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    public long sent() {
        return sent.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
