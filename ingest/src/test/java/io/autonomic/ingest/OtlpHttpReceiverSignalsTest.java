package io.autonomic.ingest;

import static io.autonomic.ingest.OtlpHttpReceiverTest.CLOCK_START;
import static io.autonomic.ingest.OtlpHttpReceiverTest.assertStatusBody;
import static io.autonomic.ingest.OtlpHttpReceiverTest.awaitRecords;
import static io.autonomic.ingest.OtlpHttpReceiverTest.gzip;
import static io.autonomic.ingest.OtlpHttpReceiverTest.post;
import static io.autonomic.ingest.OtlpHttpReceiverTest.postProtobuf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.ingest.OtlpHttpReceiver.Signal;
import io.autonomic.ingest.cloud.CloudEventNormalizerTest;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.SharedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Traces, logs, OTLP/JSON, partial success, cloud events and back-pressure of {@link OtlpHttpReceiver}. */
class OtlpHttpReceiverSignalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN_ID = "eee19b7ec3c1b174";

    /** Fresh topics for every signal, and a receiver builder writing to them. */
    private record Fixture(Topic<byte[], byte[]> metrics, Topic<byte[], byte[]> spans, Topic<byte[], byte[]> logs,
            Topic<byte[], byte[]> cloudEvents) {

        static Fixture create() throws InterruptedException {
            String run = UUID.randomUUID().toString().substring(0, 8);
            Topics defaults = Topics.defaults();
            Fixture fixture = new Fixture(defaults.otlpMetrics().withName("m-" + run),
                    defaults.otlpSpans().withName("s-" + run), defaults.otlpLogs().withName("l-" + run),
                    defaults.cloudEvents().withName("c-" + run));
            TopicAdmin.ensureTopics(SharedKafka.bootstrapServers(),
                    List.of(fixture.metrics, fixture.spans, fixture.logs, fixture.cloudEvents), 1, (short) 1);
            return fixture;
        }

        OtlpHttpReceiver.Builder receiver() {
            return OtlpHttpReceiver.builder().port(0).bootstrapServers(SharedKafka.bootstrapServers())
                    .topic(Signal.METRICS, metrics.name()).topic(Signal.TRACES, spans.name())
                    .topic(Signal.LOGS, logs.name()).topic(Signal.CLOUD_EVENTS, cloudEvents.name());
        }
    }

    @Test
    void otelSdkSpanExporter_spansReachTheSpansTopicWithTheirTraceContext() throws Exception {
        Fixture fixture = Fixture.create();
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint(receiver.endpoint() + OtlpHttpReceiver.TRACES_PATH).setCompression("gzip").build();
            TestClock clock = TestClock.create(CLOCK_START);
            SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setClock(clock)
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")))
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
            try {
                Span parent = tracerProvider.get("io.autonomic.test").spanBuilder("POST /pay")
                        .setSpanKind(SpanKind.SERVER).startSpan();
                try (Scope ignored = parent.makeCurrent()) {
                    Span child = tracerProvider.get("io.autonomic.test").spanBuilder("GET inventory")
                            .setSpanKind(SpanKind.CLIENT).startSpan();
                    clock.advance(Duration.ofMillis(40));
                    child.setStatus(StatusCode.ERROR);
                    child.end();
                }
                parent.end();
                assertThat(tracerProvider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
            } finally {
                tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
            }

            // SimpleSpanProcessor exports each span as it ends, asynchronously: one request per span, any order
            List<io.opentelemetry.proto.trace.v1.Span> stored = new java.util.ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : awaitRecords(fixture.spans(), 2)) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(record.value());
                assertThat(request.getResourceSpans(0).getResource().getAttributesList())
                        .anySatisfy(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("checkout"));
                stored.add(request.getResourceSpans(0).getScopeSpans(0).getSpans(0));
            }
            assertThat(stored).extracting(io.opentelemetry.proto.trace.v1.Span::getName)
                    .containsExactlyInAnyOrder("GET inventory", "POST /pay");
            io.opentelemetry.proto.trace.v1.Span client = stored.stream()
                    .filter(span -> span.getName().equals("GET inventory")).findFirst().orElseThrow();
            io.opentelemetry.proto.trace.v1.Span server = stored.stream()
                    .filter(span -> span.getName().equals("POST /pay")).findFirst().orElseThrow();
            assertThat(client.getTraceId()).isEqualTo(server.getTraceId());
            assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(client.getStatus().getCode())
                    .isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
            assertThat(receiver.rejectedRequests()).isZero();
        }
    }

    @Test
    void otelSdkLogExporter_logRecordsReachTheLogsTopic() throws Exception {
        Fixture fixture = Fixture.create();
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
                    .setEndpoint(receiver.endpoint() + OtlpHttpReceiver.LOGS_PATH).build();
            SdkLoggerProvider loggerProvider = SdkLoggerProvider.builder()
                    .setClock(TestClock.create(CLOCK_START))
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "inventory")))
                    .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
            try {
                loggerProvider.get("io.autonomic.test").logRecordBuilder()
                        .setSeverity(Severity.ERROR).setBody("connection pool exhausted (max 20)")
                        .setAttribute(AttributeKey.stringKey("pool"), "orders-db").emit();
                assertThat(loggerProvider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
            } finally {
                loggerProvider.shutdown().join(10, TimeUnit.SECONDS);
            }

            ExportLogsServiceRequest stored = ExportLogsServiceRequest.parseFrom(awaitRecords(fixture.logs(), 1).get(0).value());
            assertThat(stored.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getStringValue())
                    .isEqualTo("connection pool exhausted (max 20)");
            assertThat(stored.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getSeverityText()).isEmpty();
        }
    }

    @Test
    void post_jsonMetricsToProtobufTopic_storesProtobufAndAnswersJson() throws Exception {
        Fixture fixture = Fixture.create();
        String body = """
                {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
                 "scopeMetrics":[{"scope":{"name":"manual"},"metrics":[{"name":"queue.depth","unit":"{item}",
                 "gauge":{"dataPoints":[{"timeUnixNano":"1740830400000000000","asDouble":12.5}]}}]}]}]}
                """;
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            HttpResponse<byte[]> response = post(receiver.metricsUrl(), "application/json", "gzip",
                    gzip(body.getBytes(StandardCharsets.UTF_8)));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
            byte[] stored = awaitRecords(fixture.metrics(), 1).get(0).value();
            assertThat(stored).isEqualTo(OtlpEncoding.OTLP_JSON.parseMetrics(body.getBytes(StandardCharsets.UTF_8))
                    .toByteArray());
            assertThat(new OtlpMetricsDecoder().decode(stored)).singleElement()
                    .satisfies(p -> assertThat(p.getValue()).isEqualTo(12.5));
        }
    }

    @Test
    void post_protobufTracesToJsonTopic_storesOtlpJsonWithHexIds() throws Exception {
        Fixture fixture = Fixture.create();
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TRACE_ID + "\",\"spanId\":\""
                + SPAN_ID + "\",\"name\":\"GET /cart\",\"kind\":2,\"startTimeUnixNano\":\"1740830400000000000\","
                + "\"endTimeUnixNano\":\"1740830400050000000\"}]}]}]}";
        byte[] protobuf = OtlpEncoding.OTLP_JSON.parseTraces(json.getBytes(StandardCharsets.UTF_8)).toByteArray();
        try (OtlpHttpReceiver receiver = fixture.receiver().encoding(Signal.TRACES, OtlpEncoding.OTLP_JSON).build().start()) {
            HttpResponse<byte[]> response = postProtobuf(receiver.endpoint() + OtlpHttpReceiver.TRACES_PATH, protobuf);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
            JsonNode stored = JSON.readTree(awaitRecords(fixture.spans(), 1).get(0).value());
            JsonNode span = stored.path("resourceSpans").get(0).path("scopeSpans").get(0).path("spans").get(0);
            assertThat(span.path("traceId").asText()).isEqualTo(TRACE_ID);
            assertThat(span.path("spanId").asText()).isEqualTo(SPAN_ID);
            assertThat(span.path("kind").asInt()).isEqualTo(2);
        }
    }

    @Test
    void post_someInvalidPoints_answersPartialSuccessWithTheRejectedCount() throws Exception {
        Fixture fixture = Fixture.create();
        ExportMetricsServiceRequest request = OtlpRequests.request(OtlpRequests.checkoutOnHost1(),
                OtlpRequests.gauge("cpu", OtlpRequests.doublePoint(0.5), OtlpRequests.doublePoint(Double.NaN),
                        NumberDataPoint.newBuilder().setAsDouble(1)));
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            HttpResponse<byte[]> protobuf = postProtobuf(receiver.metricsUrl(), request.toByteArray());
            HttpResponse<byte[]> json = post(receiver.metricsUrl(), "application/json", null,
                    OtlpEncoding.OTLP_JSON.write(request));

            assertThat(protobuf.statusCode()).isEqualTo(200);
            ExportMetricsServiceResponse answer = ExportMetricsServiceResponse.parseFrom(protobuf.body());
            assertThat(answer.getPartialSuccess().getRejectedDataPoints()).isEqualTo(2);
            assertThat(answer.getPartialSuccess().getErrorMessage()).contains("non-finite-value", "missing-timestamp");
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(json.body()).path("partialSuccess").path("rejectedDataPoints").asText()).isEqualTo("2");
            assertThat(awaitRecords(fixture.metrics(), 2)).hasSize(2);
        }
    }

    @Test
    void post_invalidSpanIds_countsThemAsRejectedSpans() throws Exception {
        Fixture fixture = Fixture.create();
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TRACE_ID + "\",\"spanId\":\""
                + SPAN_ID + "\",\"name\":\"ok\"},{\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\""
                + SPAN_ID + "\",\"name\":\"zero trace\"},{\"traceId\":\"" + TRACE_ID + "\",\"spanId\":\"abcd\",\"name\":\"short\"}]}]}]}";
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            HttpResponse<byte[]> response = post(receiver.endpoint() + OtlpHttpReceiver.TRACES_PATH, "application/json",
                    null, json.getBytes(StandardCharsets.UTF_8));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode partial = JSON.readTree(response.body()).path("partialSuccess");
            assertThat(partial.path("rejectedSpans").asText()).isEqualTo("2");
            assertThat(partial.path("errorMessage").asText()).contains("zero trace");
        }
    }

    @Test
    void post_badJson_answers400WithAJsonStatus() throws Exception {
        Fixture fixture = Fixture.create();
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            HttpResponse<byte[]> notJson = post(receiver.endpoint() + OtlpHttpReceiver.LOGS_PATH, "application/json", null,
                    "{\"resourceLogs\": [".getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> badHex = post(receiver.endpoint() + OtlpHttpReceiver.TRACES_PATH, "application/json",
                    null, "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}"
                            .getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> badProtobuf = postProtobuf(receiver.endpoint() + OtlpHttpReceiver.LOGS_PATH,
                    OtlpRequests.garbage());

            for (HttpResponse<byte[]> response : List.of(notJson, badHex)) {
                assertThat(response.statusCode()).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
                JsonNode status = JSON.readTree(response.body());
                assertThat(status.path("code").asInt()).isEqualTo(3);
                assertThat(status.path("message").asText()).contains("otlp_json");
            }
            assertThat(badProtobuf.statusCode()).isEqualTo(400);
            assertStatusBody(badProtobuf, 3, "ExportLogsServiceRequest");
        }
    }

    @Test
    void post_cloudEvents_storesTheEventJsonAndRejectsWhatCannotBeNormalized() throws Exception {
        Fixture fixture = Fixture.create();
        byte[] events = ("[" + CloudEventNormalizerTest.ALARM_EVENT + "," + CloudEventNormalizerTest.COMPLIANCE_EVENT + "]")
                .getBytes(StandardCharsets.UTF_8);
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            String url = receiver.endpoint() + OtlpHttpReceiver.CLOUD_EVENTS_PATH;
            HttpResponse<byte[]> accepted = post(url, "application/json", null, events);
            HttpResponse<byte[]> unsupported = post(url, "application/json", null,
                    "{\"detail-type\": \"EC2 Instance State-change Notification\", \"detail\": {}}".getBytes(StandardCharsets.UTF_8));
            HttpResponse<byte[]> protobuf = postProtobuf(url, events);

            assertThat(accepted.statusCode()).isEqualTo(200);
            assertThat(awaitRecords(fixture.cloudEvents(), 1)).extracting(ConsumerRecord::value).containsExactly(events);
            assertThat(unsupported.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(unsupported.body()).path("message").asText()).contains("unsupported-event");
            assertThat(protobuf.statusCode()).isEqualTo(415);
        }
    }

    @Test
    void post_whileTooManyBytesAwaitKafka_answers429WithRetryAfter() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        byte[] body = OtlpRequests.cpuGaugeBytes(1);
        try (OtlpHttpReceiver receiver = OtlpHttpReceiver.builder().port(0).bootstrapServers("localhost:" + closedPort)
                .ackTimeout(Duration.ofMillis(1500)).retryAfter(Duration.ofSeconds(2)).maxPendingBytes(body.length)
                .build().start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<HttpResponse<byte[]>> waiting = client.sendAsync(
                    HttpRequest.newBuilder(URI.create(receiver.metricsUrl())).header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.pendingBytes() > 0);

            HttpResponse<byte[]> second = postProtobuf(receiver.metricsUrl(), body);

            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("2");
            assertStatusBody(second, 8, "Kafka");
            assertThat(waiting.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        }
    }

    @Test
    void post_seededRandomAndTruncatedBodies_neverFailsTheServer() throws Exception {
        Fixture fixture = Fixture.create();
        Random random = new Random(20_251_123L);
        byte[] real = CollectorMessages.everyMetricTypeProto();
        byte[] realJson = CollectorMessages.everyMetricTypeJson();
        try (OtlpHttpReceiver receiver = fixture.receiver().build().start()) {
            List<String> paths = List.of(OtlpHttpReceiver.METRICS_PATH, OtlpHttpReceiver.TRACES_PATH,
                    OtlpHttpReceiver.LOGS_PATH, OtlpHttpReceiver.CLOUD_EVENTS_PATH);
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 80; i++) {
                boolean json = random.nextBoolean();
                byte[] source = json ? realJson : real;
                byte[] body;
                if (random.nextBoolean()) {
                    body = new byte[random.nextInt(512)];
                    random.nextBytes(body);
                } else {
                    body = java.util.Arrays.copyOf(source, random.nextInt(source.length));
                }
                String path = paths.get(random.nextInt(paths.size()));
                statuses.add(post(receiver.endpoint() + path, json ? "application/json" : "application/x-protobuf",
                        null, body).statusCode());
            }

            // garbage is refused (400, or 415 for protobuf cloud events) or, when it happens to parse, stored (200)
            assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(200, 400, 415));
            assertThat(statuses).contains(400);
            assertThat(postProtobuf(receiver.metricsUrl(), real).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void encoding_ofCloudEvents_isRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> OtlpHttpReceiver.builder().encoding(Signal.CLOUD_EVENTS, OtlpEncoding.OTLP_PROTO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cloud events");
    }
}
