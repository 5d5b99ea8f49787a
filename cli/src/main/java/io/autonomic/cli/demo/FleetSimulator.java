package io.autonomic.cli.demo;

import io.autonomic.act.process.ProcessControl;
import io.autonomic.schemas.avro.Resource;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet of instances of one service, each on its own host, reporting through its own OpenTelemetry SDK meter
 * provider and OTLP/HTTP exporter, as separate processes would. Lighter than one JVM per instance, so the demo can
 * show a storm: every instance failing at once, more than the worker's blast-radius caps allow it to fix at once.
 * Restarting an instance clears its fault.
 */
public final class FleetSimulator implements ProcessControl, AutoCloseable {

    public static final String SERVICE = "fleet";

    private final List<SdkMeterProvider> providers = new ArrayList<>();
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();
    private final AtomicInteger restarts = new AtomicInteger();

    public FleetSimulator(int instances, String otlpEndpoint) {
        for (int i = 1; i <= instances; i++) {
            String host = String.format("fleet-host-%02d", i);
            failing.put(host, false);
            SdkMeterProvider provider = SdkMeterProvider.builder()
                    .setResource(io.opentelemetry.sdk.resources.Resource.create(Attributes.builder()
                            .put("service.name", SERVICE)
                            .put("service.namespace", "autonomic-demo")
                            .put("host.name", host)
                            .build()))
                    .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                                    .setEndpoint(otlpEndpoint + "/v1/metrics")
                                    .setTimeout(Duration.ofSeconds(5))
                                    .build())
                            .setInterval(Duration.ofSeconds(1))
                            .build())
                    .build();
            provider.get("io.autonomic.demo.fleet").gaugeBuilder("http.server.error_ratio").setUnit("1")
                    .buildWithCallback(m -> m.record(failing.get(host) ? 1.0 : 0.0));
            providers.add(provider);
        }
    }

    public int size() {
        return failing.size();
    }

    /** Every instance starts failing at once. */
    public void failAll() {
        failing.replaceAll((host, wasFailing) -> true);
    }

    public long failingCount() {
        return failing.values().stream().filter(f -> f).count();
    }

    public int restarts() {
        return restarts.get();
    }

    /** A restart of one instance, addressed by its resource's host, clears its fault. */
    @Override
    public void restart(Resource target) {
        String host = target.getAttributes().get("host.name");
        if (host == null || !failing.containsKey(host)) {
            throw new IllegalArgumentException("no fleet instance for resource " + target.getId());
        }
        failing.put(host, false);
        restarts.incrementAndGet();
    }

    @Override
    public void close() {
        providers.forEach(SdkMeterProvider::close);
    }
}
