package io.autonomic.ingest;

import static io.autonomic.ingest.OtlpHttpReceiverTest.CLOCK_START;
import static io.autonomic.ingest.OtlpHttpReceiverTest.awaitRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import io.autonomic.ingest.OtlpHttpReceiver.Signal;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.SharedKafka;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** OTLP/gRPC on {@link OtlpHttpReceiver}: the SDK's gRPC exporters as clients, and the status mapping. */
class OtlpGrpcReceiverTest {

    private static Topic<byte[], byte[]> topic(Topic<byte[], byte[]> base) throws InterruptedException {
        Topic<byte[], byte[]> topic = base.withName(base.id() + "-grpc-" + UUID.randomUUID().toString().substring(0, 8));
        TopicAdmin.ensureTopics(SharedKafka.bootstrapServers(), List.of(topic), 1, (short) 1);
        return topic;
    }

    @Test
    void otelSdkGrpcExporters_metricsAndSpansReachTheirTopics() throws Exception {
        Topic<byte[], byte[]> metrics = topic(Topics.defaults().otlpMetrics());
        Topic<byte[], byte[]> spans = topic(Topics.defaults().otlpSpans());
        try (OtlpHttpReceiver receiver = OtlpHttpReceiver.builder().port(0).grpcPort(0)
                .bootstrapServers(SharedKafka.bootstrapServers())
                .topic(Signal.METRICS, metrics.name()).topic(Signal.TRACES, spans.name())
                .encoding(Signal.TRACES, OtlpEncoding.OTLP_JSON)
                .build().start()) {
            String endpoint = "http://localhost:" + receiver.grpcPort();
            Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout",
                    AttributeKey.stringKey("host.name"), "host-1"));
            TestClock clock = TestClock.create(CLOCK_START);
            SdkMeterProvider meterProvider = SdkMeterProvider.builder().setClock(clock).setResource(resource)
                    .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                            .setEndpoint(endpoint).setCompression("gzip").build()).setInterval(Duration.ofHours(1)).build())
                    .build();
            SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setClock(clock).setResource(resource)
                    .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build()))
                    .build();
            try {
                meterProvider.get("io.autonomic.test").counterBuilder("http.requests").build().add(7);
                tracerProvider.get("io.autonomic.test").spanBuilder("POST /pay").setSpanKind(SpanKind.SERVER)
                        .startSpan().end();
                clock.advance(Duration.ofSeconds(5));
                assertThat(meterProvider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
                assertThat(tracerProvider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
            } finally {
                meterProvider.shutdown().join(10, TimeUnit.SECONDS);
                tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
            }

            List<TelemetryPoint> points = new OtlpMetricsDecoder().decode(awaitRecords(metrics, 1).get(0).value());
            assertThat(points).singleElement().satisfies(point -> {
                assertThat(point.getMetric()).isEqualTo("http.requests");
                assertThat(point.getValue()).isEqualTo(7.0);
                assertThat(point.getResource().getId()).isEqualTo("process:host-1/checkout");
            });
            ExportTraceServiceRequest stored = OtlpEncoding.OTLP_JSON.parseTraces(awaitRecords(spans, 1).get(0).value());
            assertThat(stored.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("POST /pay");
            assertThat(receiver.rejectedRequests()).isZero();
        }
    }

    @Test
    void export_invalidPoints_answersPartialSuccess() throws Exception {
        Topic<byte[], byte[]> metrics = topic(Topics.defaults().otlpMetrics());
        try (OtlpHttpReceiver receiver = OtlpHttpReceiver.builder().port(0).grpcPort(0)
                .bootstrapServers(SharedKafka.bootstrapServers()).topic(metrics.name()).build().start()) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", receiver.grpcPort()).usePlaintext().build();
            try {
                ExportMetricsServiceResponse response = MetricsServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .export(OtlpRequests.request(OtlpRequests.checkoutOnHost1(), OtlpRequests.gauge("cpu",
                                OtlpRequests.doublePoint(0.5), NumberDataPoint.newBuilder().setAsDouble(1))));

                assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
                assertThat(response.getPartialSuccess().getErrorMessage()).contains("missing-timestamp");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void export_kafkaUnreachable_isUnavailableWithRetryInfo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (OtlpHttpReceiver receiver = OtlpHttpReceiver.builder().port(0).grpcPort(0)
                .bootstrapServers("localhost:" + closedPort).ackTimeout(Duration.ofMillis(500))
                .retryAfter(Duration.ofSeconds(3)).build().start()) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", receiver.grpcPort()).usePlaintext().build();
            try {
                assertThatThrownBy(() -> MetricsServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .export(OtlpRequests.request(OtlpRequests.checkoutOnHost1(),
                                OtlpRequests.gauge("cpu", OtlpRequests.doublePoint(0.5)))))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            com.google.rpc.Status status = StatusProto.fromThrowable(e);
                            assertThat(status.getMessage()).contains("Kafka");
                            assertThat(status.getDetailsList()).singleElement().satisfies(detail -> assertThat(
                                    detail.unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(3));
                        });
                assertThat(receiver.rejectedRequests()).isEqualTo(1);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void grpcPort_notEnabled_failsFast() {
        assertThatThrownBy(() -> OtlpHttpReceiver.builder().grpcPort(-2)).hasMessageContaining("grpcPort");
    }
}
