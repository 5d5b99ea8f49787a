package io.autonomic.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Steady traffic against the entry service, so the services have real requests, latencies and errors to report. */
public final class LoadGenerator implements AutoCloseable {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
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
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() >= 500) {
                    failed.incrementAndGet();
                }
            } catch (IOException e) {
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sent.incrementAndGet();
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
