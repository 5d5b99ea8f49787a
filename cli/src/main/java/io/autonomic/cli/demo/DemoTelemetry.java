package io.autonomic.cli.demo;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.UUID;

/** The OpenTelemetry set-up every demo process shares: its resource, and metrics over OTLP/HTTP every second. */
final class DemoTelemetry {

    private DemoTelemetry() {
    }

    /** {@code service.name}, a fresh instance id and the demo host: resource id {@code process:<host>/<name>}. */
    static Resource resource(String name, String host) {
        return Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", name)
                .put("service.namespace", "autonomic-demo")
                .put("service.instance.id", UUID.randomUUID().toString())
                .put("host.name", host)
                .put("deployment.environment.name", "demo")
                .build()));
    }

    /**
     * Exports every second to {@code otlp + /v1/metrics}. The SDK's own {@code otel.sdk.*} metrics (e.g. the metric
     * reader's collection duration, which the SDK records whether or not self-observability was asked for) are
     * dropped: they describe the exporter, not the service, and on a busy machine they only add anomalies that are
     * not the fault's.
     */
    static SdkMeterProvider meterProvider(Resource resource, String otlp) {
        return SdkMeterProvider.builder()
                .setResource(resource)
                .registerView(InstrumentSelector.builder().setName("otel.sdk.*").build(),
                        View.builder().setAggregation(Aggregation.drop()).build())
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                                .setEndpoint(otlp + "/v1/metrics")
                                .setTimeout(Duration.ofSeconds(5))
                                .build())
                        .setInterval(Duration.ofSeconds(1))
                        .build())
                .build();
    }
}
