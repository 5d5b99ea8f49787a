package io.autonomic.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.UnknownFieldSet;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.Temporality;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpHttpReceiverTest {

    static final Instant CLOCK_START = Instant.parse("2025-03-01T12:00:00Z");
    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Topic<byte[], byte[]> newTopic() throws InterruptedException {
        Topic<byte[], byte[]> topic = Topics.defaults().otlpMetrics().withName("otlp-receiver-" + UUID.randomUUID());
        TopicAdmin.ensureTopics(SharedKafka.bootstrapServers(), List.of(topic), 1, (short) 1);
        return topic;
    }

    private static OtlpHttpReceiver.Builder receiverFor(Topic<byte[], byte[]> topic) {
        return OtlpHttpReceiver.builder().port(0).bootstrapServers(SharedKafka.bootstrapServers()).topic(topic.name());
    }

    static List<ConsumerRecord<byte[], byte[]>> awaitRecords(Topic<byte[], byte[]> topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestClients.consumeUntil(SharedKafka.bootstrapServers(), topic,
                read -> read.size() >= count, KAFKA_WAIT);
        assertThat(records).as("records on %s", topic.name()).hasSizeGreaterThanOrEqualTo(count);
        return records;
    }

    static HttpResponse<byte[]> post(String url, String contentType, String encoding, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> postProtobuf(String url, byte[] body) throws IOException, InterruptedException {
        return post(url, "application/x-protobuf", null, body);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        }
        return out.toByteArray();
    }

    /** The google.rpc.Status body of an error answer, read field by field: code (1) and message (2). */
    static void assertStatusBody(HttpResponse<byte[]> response, int grpcCode, String messagePart)
            throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        UnknownFieldSet status = UnknownFieldSet.parseFrom(response.body());
        assertThat(status.getField(1).getVarintList()).containsExactly((long) grpcCode);
        assertThat(status.getField(2).getLengthDelimitedList().get(0).toStringUtf8()).contains(messagePart);
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "gzip"})
    void otelSdkExport_gaugeAndCounter_reachKafkaAsDecodableOtlp(String compression) throws Exception {
        Topic<byte[], byte[]> topic = newTopic();
        try (OtlpHttpReceiver receiver = receiverFor(topic).build().start()) {
            OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                    .setEndpoint(receiver.metricsUrl())
                    .setCompression(compression)
                    .setTimeout(Duration.ofSeconds(20))
                    .build();
            TestClock clock = TestClock.create(CLOCK_START);
            SdkMeterProvider meterProvider = SdkMeterProvider.builder()
                    .setClock(clock)
                    .setResource(Resource.getDefault().merge(Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), "checkout"))))
                    .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                    .build();
            try {
                Meter meter = meterProvider.get("io.autonomic.ingest.test");
                DoubleGauge queueDepth = meter.gaugeBuilder("queue.depth").setUnit("{item}").build();
                LongCounter requests = meter.counterBuilder("http.requests").setUnit("{request}").build();
                queueDepth.set(42.5, Attributes.of(AttributeKey.stringKey("queue"), "orders"));
                requests.add(3, Attributes.of(AttributeKey.stringKey("route"), "/pay"));
                clock.advance(Duration.ofSeconds(10));

                assertThat(meterProvider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
            } finally {
                meterProvider.shutdown().join(10, TimeUnit.SECONDS);
            }
            assertThat(receiver.acceptedRequests()).isGreaterThanOrEqualTo(1);
            assertThat(receiver.rejectedRequests()).isZero();

            ConsumerRecord<byte[], byte[]> stored = awaitRecords(topic, 1).get(0);
            assertThat(stored.key()).isNull();
            List<TelemetryPoint> points = new OtlpMetricsDecoder().decode(stored.value());

            assertThat(points)
                    .extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue, TelemetryPoint::getType,
                            TelemetryPoint::getTemporality, TelemetryPoint::getMonotonic, TelemetryPoint::getUnit)
                    .containsExactlyInAnyOrder(
                            tuple("queue.depth", 42.5, MetricType.GAUGE, Temporality.UNSPECIFIED, false, "{item}"),
                            tuple("http.requests", 3.0, MetricType.SUM, Temporality.CUMULATIVE, true, "{request}"));
            assertThat(points).allSatisfy(point -> {
                assertThat(point.getResource().getId()).isEqualTo("service:checkout");
                assertThat(point.getResource().getKind()).isEqualTo(ResourceKind.SERVICE);
                assertThat(point.getResource().getService()).isEqualTo("checkout");
                assertThat(point.getResource().getAttributes()).containsEntry("telemetry.sdk.language", "java");
                assertThat(point.getScope()).isEqualTo("io.autonomic.ingest.test");
                assertThat(point.getTimestampMillis()).isEqualTo(CLOCK_START.plusSeconds(10).toEpochMilli());
            });
            assertThat(points).filteredOn(p -> p.getMetric().equals("http.requests")).singleElement()
                    .satisfies(p -> {
                        assertThat(p.getSeriesKey()).isEqualTo("service:checkout|http.requests{route=/pay}");
                        assertThat(p.getStartTimestampMillis()).isEqualTo(CLOCK_START.toEpochMilli());
                    });
        }
    }

    @Test
    void post_protobuf_answers200AfterKafkaStoredTheExactBytes() throws Exception {
        Topic<byte[], byte[]> topic = newTopic();
        byte[] body = OtlpRequests.cpuGaugeBytes(0.5);
        try (OtlpHttpReceiver receiver = receiverFor(topic).build().start()) {
            HttpResponse<byte[]> response = postProtobuf(receiver.metricsUrl(), body);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
            assertThat(ExportMetricsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
            // 200 means acknowledged: the record is readable as soon as the answer arrives.
            assertThat(awaitRecords(topic, 1)).extracting(ConsumerRecord::value).containsExactly(body);
            assertThat(receiver.acceptedRequests()).isEqualTo(1);
        }
    }

    @Test
    void post_gzipBody_storesTheDecompressedOriginalBytes() throws Exception {
        Topic<byte[], byte[]> topic = newTopic();
        byte[] body = OtlpRequests.cpuGaugeBytes(0.75);
        try (OtlpHttpReceiver receiver = receiverFor(topic).build().start()) {
            HttpResponse<byte[]> response = post(receiver.metricsUrl(), "application/x-protobuf", "gzip", gzip(body));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(awaitRecords(topic, 1)).extracting(ConsumerRecord::value).containsExactly(body);
        }
    }

    @Test
    void post_requestWithoutResourceMetrics_answers200WithoutWritingToKafka() throws Exception {
        Topic<byte[], byte[]> topic = newTopic();
        byte[] real = OtlpRequests.cpuGaugeBytes(0.1);
        try (OtlpHttpReceiver receiver = receiverFor(topic).build().start()) {
            assertThat(postProtobuf(receiver.metricsUrl(), ExportMetricsServiceRequest.getDefaultInstance().toByteArray())
                    .statusCode()).isEqualTo(200);
            assertThat(postProtobuf(receiver.metricsUrl(), real).statusCode()).isEqualTo(200);

            assertThat(awaitRecords(topic, 1)).extracting(ConsumerRecord::value).containsExactly(real);
            assertThat(receiver.acceptedRequests()).isEqualTo(2);
        }
    }

    @Test
    void post_garbage_answers400WithAStatusBody() throws Exception {
        try (OtlpHttpReceiver receiver = receiverFor(newTopic()).build().start()) {
            HttpResponse<byte[]> response = postProtobuf(receiver.metricsUrl(), OtlpRequests.garbage());

            assertThat(response.statusCode()).isEqualTo(400);
            assertStatusBody(response, 3, "not an OTLP ExportMetricsServiceRequest");
            assertThat(receiver.rejectedRequests()).isEqualTo(1);
            assertThat(receiver.acceptedRequests()).isZero();
        }
    }

    @Test
    void post_invalidGzip_answers400() throws Exception {
        try (OtlpHttpReceiver receiver = receiverFor(newTopic()).build().start()) {
            HttpResponse<byte[]> response = post(receiver.metricsUrl(), "application/x-protobuf", "gzip",
                    OtlpRequests.cpuGaugeBytes(1));

            assertThat(response.statusCode()).isEqualTo(400);
            assertStatusBody(response, 3, "gzip");
        }
    }

    @Test
    void post_bodyOverTheLimit_answers413() throws Exception {
        try (OtlpHttpReceiver receiver = receiverFor(newTopic()).maxBodyBytes(1024).build().start()) {
            HttpResponse<byte[]> response = postProtobuf(receiver.metricsUrl(), new byte[4096]);

            assertThat(response.statusCode()).isEqualTo(413);
            assertStatusBody(response, 3, "exceeds 1024 bytes");
        }
    }

    @Test
    void post_gzipBodyDecompressingOverTheLimit_answers413() throws Exception {
        byte[] bomb = gzip(new byte[64 * 1024]);
        try (OtlpHttpReceiver receiver = receiverFor(newTopic()).maxBodyBytes(1024).build().start()) {
            assertThat(bomb.length).isLessThan(1024);

            HttpResponse<byte[]> response = post(receiver.metricsUrl(), "application/x-protobuf", "gzip", bomb);

            assertThat(response.statusCode()).isEqualTo(413);
        }
    }

    @Test
    void post_otherContentTypeOrEncoding_answers415() throws Exception {
        byte[] body = OtlpRequests.cpuGaugeBytes(1);
        try (OtlpHttpReceiver receiver = receiverFor(newTopic()).build().start()) {
            String url = receiver.metricsUrl();

            assertThat(post(url, "text/plain", null, body).statusCode()).isEqualTo(415);
            assertThat(post(url, null, null, body).statusCode()).isEqualTo(415);
            HttpResponse<byte[]> brotli = post(url, "application/x-protobuf", "br", body);
            assertThat(brotli.statusCode()).isEqualTo(415);
            assertStatusBody(brotli, 3, "Content-Encoding 'br'");
            assertThat(post(url, "application/x-protobuf; charset=binary", null, body).statusCode()).isEqualTo(200);
            assertThat(receiver.rejectedRequests()).isEqualTo(3);
        }
    }

    @Test
    void otherMethodsAndPaths_answer405And404() throws Exception {
        try (OtlpHttpReceiver receiver = receiverFor(newTopic()).build().start()) {
            HttpResponse<byte[]> get = HTTP.send(HttpRequest.newBuilder(URI.create(receiver.metricsUrl())).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> traces = postProtobuf(receiver.endpoint() + "/v1/profiles", OtlpRequests.cpuGaugeBytes(1));

            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
            assertThat(traces.statusCode()).isEqualTo(404);
            assertStatusBody(traces, 5, "/v1/metrics");
        }
    }

    @Test
    void post_kafkaUnreachable_answers503WithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (OtlpHttpReceiver receiver = OtlpHttpReceiver.builder()
                .port(0)
                .bootstrapServers("localhost:" + closedPort)
                .topic("otlp-unreachable")
                .ackTimeout(Duration.ofMillis(500))
                .retryAfter(Duration.ofMillis(1500))
                .build()
                .start()) {
            HttpResponse<byte[]> response = postProtobuf(receiver.metricsUrl(), OtlpRequests.cpuGaugeBytes(1));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
            assertStatusBody(response, 14, "Kafka");
            assertThat(receiver.acceptedRequests()).isZero();
            assertThat(receiver.rejectedRequests()).isEqualTo(1);
        }
    }

    @Test
    void endpoint_namesTheBoundEphemeralPort() throws Exception {
        try (OtlpHttpReceiver receiver = receiverFor(newTopic()).build().start()) {
            assertThat(receiver.port()).isPositive();
            assertThat(receiver.endpoint()).isEqualTo("http://localhost:" + receiver.port());
            assertThat(receiver.metricsUrl()).isEqualTo("http://localhost:" + receiver.port() + "/v1/metrics");
        }
    }

    @Test
    void builder_invalidSettings_failFastNamingTheSetting() {
        assertThatThrownBy(() -> OtlpHttpReceiver.builder().build()).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> OtlpHttpReceiver.builder().port(70_000)).hasMessageContaining("port");
        assertThatThrownBy(() -> OtlpHttpReceiver.builder().maxBodyBytes(0)).hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> OtlpHttpReceiver.builder().ackTimeout(Duration.ZERO)).hasMessageContaining("ackTimeout");
        assertThatThrownBy(() -> OtlpHttpReceiver.builder().bootstrapServers("k:9092").build().port())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderOptions_readsPipelineAndReceiverOptions() throws Exception {
        Topic<byte[], byte[]> topic = newTopic();
        Options options = Options.of(Map.of(
                "bootstrap-servers", SharedKafka.bootstrapServers(),
                "topic.otlp-metrics", topic.name(),
                "otlp-http-port", "0",
                "otlp-http-ack-timeout", "5s"), concat(PipelineOptions.ALL, IngestOptions.RECEIVER));
        byte[] body = OtlpRequests.cpuGaugeBytes(0.3);

        try (OtlpHttpReceiver receiver = OtlpHttpReceiver.builder().options(options).build().start()) {
            assertThat(receiver.topic()).isEqualTo(topic.name());
            assertThat(postProtobuf(receiver.metricsUrl(), body).statusCode()).isEqualTo(200);
            assertThat(awaitRecords(topic, 1)).extracting(ConsumerRecord::value).containsExactly(body);
        }
        Options badPort = Options.of(Map.of("otlp-http-port", "-1"), concat(PipelineOptions.ALL, IngestOptions.RECEIVER));
        assertThatThrownBy(() -> OtlpHttpReceiver.builder().options(badPort))
                .isInstanceOf(OptionException.class).hasMessageContaining("--otlp-http-port");
    }

    private static List<Option<?>> concat(List<Option<?>> first, List<Option<?>> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}
