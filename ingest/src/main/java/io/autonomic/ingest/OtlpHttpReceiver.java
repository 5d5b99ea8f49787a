package io.autonomic.ingest;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.autonomic.ingest.OtlpValidation.Validated;
import io.autonomic.ingest.cloud.CloudEventException;
import io.autonomic.ingest.cloud.CloudEventNormalizer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OTLP/HTTP receiver: {@code POST /v1/metrics}, {@code /v1/traces} and {@code /v1/logs} with an
 * {@code application/x-protobuf} or {@code application/json} (OTLP/JSON) body, optionally
 * {@code Content-Encoding: gzip}, and {@code POST /v1/cloud-events} with EventBridge JSON (one event or an array).
 * The body is parsed to validate it, then written unkeyed to the signal's topic in the topic's configured
 * {@link OtlpEncoding}: the original (decompressed) bytes when the request already is in that encoding, else the
 * request re-encoded — exactly what the Collector's Kafka exporter would write. The answer is 200 only after Kafka
 * acknowledged the record (acks=all, idempotent producer); data that was not acknowledged in time gets 503 with
 * {@code Retry-After}, so the exporter retries instead of losing it.
 *
 * <p>Answers, per the OTLP/HTTP specification; every body is in the request's encoding (protobuf, or JSON for
 * JSON requests): 200 with an empty {@code Export*ServiceResponse}, or with {@code partial_success} counting the
 * rejected data points, spans or log records (a point the decoder cannot use; a span or log record whose trace or
 * span id has the wrong length) — the rest is stored; error bodies are {@code google.rpc.Status}: 400 for a body
 * that is not a request of the path's signal, not valid gzip, or (cloud events) not a supported event; 404 for
 * other paths; 405 for methods other than POST; 413 for a body over {@code maxBodyBytes} (before or after
 * decompression) or over Kafka's record size limit; 415 for other content types or encodings; 429 with
 * {@code Retry-After} while more than {@code maxPendingBytes} await Kafka's acknowledgement; 503 with
 * {@code Retry-After} when Kafka does not acknowledge within {@code ackTimeout} or reports a retriable error, and
 * while closing; 500 for other Kafka errors. A request without resource entries is answered 200 without writing.
 *
 * <p>With {@link Builder#grpcPort} it also serves OTLP/gRPC (the collector services' {@code Export} calls, gzip
 * included) with the same validation, storage and partial success; Kafka back-pressure and unavailability become
 * RESOURCE_EXHAUSTED / UNAVAILABLE with {@code RetryInfo}. HTTP uses the JDK's built-in server; gRPC grpc-java's
 * shaded Netty transport.
 */
public final class OtlpHttpReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpHttpReceiver.class);

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = 4318;
    public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    public static final int DEFAULT_THREADS = 4;
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L * 1024 * 1024;
    public static final String METRICS_PATH = "/v1/metrics";
    public static final String TRACES_PATH = "/v1/traces";
    public static final String LOGS_PATH = "/v1/logs";
    public static final String CLOUD_EVENTS_PATH = "/v1/cloud-events";
    public static final String PROTOBUF = "application/x-protobuf";
    public static final String JSON = "application/json";

    /** google.rpc.Code values used in error bodies. */
    private static final int INVALID_ARGUMENT = 3;
    private static final int RESOURCE_EXHAUSTED = 8;
    private static final int NOT_FOUND = 5;
    private static final int UNIMPLEMENTED = 12;
    private static final int INTERNAL = 13;
    private static final int UNAVAILABLE = 14;
    /** Room for the Kafka record and batch headers around the largest accepted body. */
    private static final int RECORD_OVERHEAD_BYTES = 64 * 1024;
    private static final long PRODUCER_LINGER_MS = 5;
    private static final ObjectMapper STATUS_JSON = new ObjectMapper();

    private final String host;
    private final int requestedPort;
    private final String bootstrapServers;
    private final Map<Signal, String> topics;
    private final Map<Signal, OtlpEncoding> encodings;
    private final long maxPendingBytes;
    private final AtomicLong pendingBytes = new AtomicLong();
    private final int maxBodyBytes;
    private final Duration ackTimeout;
    private final Duration retryAfter;
    private final int threads;
    private final int requestedGrpcPort;
    private final Map<String, String> producerOverrides;

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Object inFlightLock = new Object();
    private int inFlight;
    private volatile boolean closing;

    private HttpServer server;
    private Server grpcServer;
    private ExecutorService executor;
    private KafkaProducer<byte[], byte[]> producer;

    private OtlpHttpReceiver(Builder builder) {
        this.host = builder.host;
        this.requestedPort = builder.port;
        this.bootstrapServers = builder.bootstrapServers;
        this.topics = Map.copyOf(builder.topics);
        this.encodings = Map.copyOf(builder.encodings);
        this.maxPendingBytes = builder.maxPendingBytes;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.ackTimeout = builder.ackTimeout;
        this.retryAfter = builder.retryAfter;
        this.threads = builder.threads;
        this.requestedGrpcPort = builder.grpcPort;
        this.producerOverrides = Map.copyOf(builder.producerOverrides);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Creates the Kafka producer and starts listening; fails if the address cannot be bound. */
    public synchronized OtlpHttpReceiver start() {
        if (server != null || closing) {
            throw new IllegalStateException("the receiver was already started");
        }
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        try {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
        } catch (IOException e) {
            producer.close(Duration.ZERO);
            throw new UncheckedIOException("cannot listen on " + host + ":" + requestedPort + " for OTLP/HTTP", e);
        }
        executor = Executors.newFixedThreadPool(threads, new NamedThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        if (requestedGrpcPort >= 0) {
            try {
                grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress(host, requestedGrpcPort))
                        .executor(executor)
                        .maxInboundMessageSize(maxBodyBytes)
                        .addService(new MetricsServiceGrpc.MetricsServiceImplBase() {
                            @Override
                            public void export(ExportMetricsServiceRequest request,
                                    StreamObserver<ExportMetricsServiceResponse> responses) {
                                exportGrpc(Signal.METRICS, request, OtlpValidation.metrics(request), responses);
                            }
                        })
                        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
                            @Override
                            public void export(ExportTraceServiceRequest request,
                                    StreamObserver<ExportTraceServiceResponse> responses) {
                                exportGrpc(Signal.TRACES, request, OtlpValidation.traces(request), responses);
                            }
                        })
                        .addService(new LogsServiceGrpc.LogsServiceImplBase() {
                            @Override
                            public void export(ExportLogsServiceRequest request,
                                    StreamObserver<ExportLogsServiceResponse> responses) {
                                exportGrpc(Signal.LOGS, request, OtlpValidation.logs(request), responses);
                            }
                        })
                        .build()
                        .start();
            } catch (IOException e) {
                server.stop(0);
                executor.shutdownNow();
                producer.close(Duration.ZERO);
                throw new UncheckedIOException("cannot listen on " + host + ":" + requestedGrpcPort + " for OTLP/gRPC", e);
            }
        }
        LOG.info("OTLP/HTTP receiver listening on {}{}, writing to topics {} (encodings {}) at {}", endpoint(),
                grpcServer == null ? "" : ", OTLP/gRPC on port " + grpcServer.getPort(), topics, encodings,
                bootstrapServers);
        return this;
    }

    /**
     * One OTLP/gRPC export: the same validation and storage as over HTTP. Answers map as the OTLP specification
     * asks of gRPC: Kafka back-pressure is RESOURCE_EXHAUSTED and Kafka unavailability UNAVAILABLE, both with a
     * {@code RetryInfo} so the exporter retries; a record over Kafka's limit is RESOURCE_EXHAUSTED without one.
     */
    @SuppressWarnings("unchecked")
    private <R extends Message> void exportGrpc(Signal signal, Message request, Validated validated,
            StreamObserver<R> responses) {
        synchronized (inFlightLock) {
            inFlight++;
        }
        try {
            Response answer;
            if (closing) {
                answer = unavailable("the receiver is shutting down", false);
            } else if (validated.empty()) {
                answer = Response.ok(validated.response());
            } else {
                byte[] record = encodings.get(signal).write(request);
                answer = store(signal, record, Response.ok(validated.response()), false);
            }
            (answer.status() == 200 ? accepted : rejected).incrementAndGet();
            if (answer.status() == 200) {
                responses.onNext((R) validated.response());
                responses.onCompleted();
                return;
            }
            String message = statusMessage(answer.body());
            com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setMessage(message);
            switch (answer.status()) {
                case 429, 503 -> {
                    status.setCode((answer.status() == 429 ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.UNAVAILABLE).value());
                    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
                    status.addDetails(Any.pack(RetryInfo.newBuilder()
                            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(seconds)).build()));
                }
                case 413 -> status.setCode(Status.Code.RESOURCE_EXHAUSTED.value());
                default -> status.setCode(Status.Code.INTERNAL.value());
            }
            responses.onError(StatusProto.toStatusRuntimeException(status.build()));
        } catch (RuntimeException e) {
            LOG.warn("OTLP/gRPC export failed unexpectedly", e);
            rejected.incrementAndGet();
            responses.onError(Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException());
        } finally {
            synchronized (inFlightLock) {
                inFlight--;
                inFlightLock.notifyAll();
            }
        }
    }

    private static String statusMessage(byte[] rpcStatus) {
        try {
            return com.google.rpc.Status.parseFrom(rpcStatus).getMessage();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    /** The bound OTLP/gRPC port; fails when gRPC was not enabled with {@link Builder#grpcPort}. */
    public synchronized int grpcPort() {
        if (grpcServer == null) {
            throw new IllegalStateException("OTLP/gRPC is not enabled or the receiver is not started");
        }
        return grpcServer.getPort();
    }

    /** The bound port (the ephemeral one when built with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the receiver is not started");
        }
        return server.getAddress().getPort();
    }

    /** The base URL, e.g. {@code http://localhost:4318}; an exporter posts to it plus {@value #METRICS_PATH}. */
    public String endpoint() {
        String reachableHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        return "http://" + (reachableHost.contains(":") ? "[" + reachableHost + "]" : reachableHost) + ":" + port();
    }

    /** The full metrics URL, {@link #endpoint()} + {@value #METRICS_PATH}. */
    public String metricsUrl() {
        return endpoint() + METRICS_PATH;
    }

    /** The otlp-metrics topic. */
    public String topic() {
        return topics.get(Signal.METRICS);
    }

    /** The topic a signal's requests are written to. */
    public String topic(Signal signal) {
        return topics.get(signal);
    }

    /** Bytes handed to Kafka and not yet acknowledged. */
    long pendingBytes() {
        return pendingBytes.get();
    }

    /** Requests answered 200. */
    public long acceptedRequests() {
        return accepted.get();
    }

    /** Requests answered with any error status, including 503. */
    public long rejectedRequests() {
        return rejected.get();
    }

    /**
     * Stops taking requests (new ones get 503), lets the ones in flight finish (up to the ack timeout), then stops
     * the server and flushes and closes the producer.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        if (server == null) {
            return;
        }
        awaitInFlight(ackTimeout.plusSeconds(1));
        if (grpcServer != null) {
            grpcServer.shutdownNow();
        }
        server.stop(0);
        executor.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        LOG.info("OTLP/HTTP receiver on port {} closed: {} accepted, {} rejected", server.getAddress().getPort(),
                accepted.get(), rejected.get());
    }

    private void awaitInFlight(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlightLock) {
            while (inFlight > 0) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    LOG.warn("closing the OTLP/HTTP receiver with {} requests still in flight", inFlight);
                    return;
                }
                try {
                    inFlightLock.wait(remainingMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-otlp-http-receiver");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxBodyBytes + RECORD_OVERHEAD_BYTES));
        // Bound every wait by the ack timeout: a record the producer still retries after we answered 503 would
        // arrive twice once the exporter retries it.
        long ackMillis = Math.max(ackTimeout.toMillis(), PRODUCER_LINGER_MS + 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(PRODUCER_LINGER_MS));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(ackMillis));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ackMillis - PRODUCER_LINGER_MS));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(ackMillis));
        props.putAll(producerOverrides);
        return props;
    }

    private void handle(HttpExchange exchange) {
        synchronized (inFlightLock) {
            inFlight++;
        }
        try (exchange) {
            Response response;
            try {
                response = respond(exchange);
            } catch (RuntimeException e) {
                LOG.warn("OTLP/HTTP request failed unexpectedly", e);
                response = Response.error(500, INTERNAL, "internal error: " + e, false);
            }
            (response.status() == 200 ? accepted : rejected).incrementAndGet();
            send(exchange, response);
        } catch (IOException e) {
            LOG.debug("could not answer an OTLP/HTTP client", e);
        } finally {
            synchronized (inFlightLock) {
                inFlight--;
                inFlightLock.notifyAll();
            }
        }
    }

    private Response respond(HttpExchange exchange) {
        Signal signal = Signal.ofPath(exchange.getRequestURI().getPath());
        if (signal == null) {
            return Response.error(404, NOT_FOUND, "no such path; OTLP goes to " + METRICS_PATH + ", " + TRACES_PATH
                    + " and " + LOGS_PATH + ", EventBridge events to " + CLOUD_EVENTS_PATH, false);
        }
        if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
            return Response.error(405, UNIMPLEMENTED, "only POST is supported", false).withHeader("Allow", "POST");
        }
        String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        OtlpEncoding requestEncoding;
        if (PROTOBUF.equals(contentType) && signal != Signal.CLOUD_EVENTS) {
            requestEncoding = OtlpEncoding.OTLP_PROTO;
        } else if (JSON.equals(contentType)) {
            requestEncoding = OtlpEncoding.OTLP_JSON;
        } else {
            return Response.error(415, INVALID_ARGUMENT, "unsupported Content-Type '" + contentType + "'; "
                    + (signal == Signal.CLOUD_EVENTS ? JSON : PROTOBUF + " or " + JSON) + " is accepted", false);
        }
        boolean json = requestEncoding == OtlpEncoding.OTLP_JSON;
        if (closing) {
            return unavailable("the receiver is shutting down", json);
        }
        String encoding = mediaType(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        boolean gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
        if (!gzip && !encoding.isEmpty() && !encoding.equals("identity")) {
            return Response.error(415, INVALID_ARGUMENT, "unsupported Content-Encoding '" + encoding + "'; use gzip or none",
                    json);
        }
        long declaredLength = contentLength(exchange);
        if (declaredLength > maxBodyBytes) {
            return tooLarge(json);
        }
        byte[] body;
        try {
            InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
            body = readAtMost(in, maxBodyBytes);
        } catch (ZipException | EOFException e) {
            return Response.error(400, INVALID_ARGUMENT, "the body is not valid gzip: " + e.getMessage(), json);
        } catch (IOException e) {
            return Response.error(400, INVALID_ARGUMENT, "cannot read the body: " + e.getMessage(), json);
        }
        if (body == null) {
            return tooLarge(json);
        }
        if (signal == Signal.CLOUD_EVENTS) {
            try {
                new CloudEventNormalizer().normalize(body);
            } catch (CloudEventException e) {
                return Response.error(400, INVALID_ARGUMENT, e.reason() + ": " + e.getMessage(), true);
            }
            return store(signal, body, new Response(200, "{}".getBytes(StandardCharsets.UTF_8), JSON, Map.of()), true);
        }
        Validated validated;
        try {
            validated = OtlpValidation.validate(signal, requestEncoding, body);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return Response.error(400, INVALID_ARGUMENT, "the body is not an OTLP " + signal.requestName() + " in "
                    + requestEncoding.kafkaName() + ": " + e.getMessage(), json);
        }
        Response ok = new Response(200, requestEncoding.write(validated.response()), json ? JSON : PROTOBUF, Map.of());
        if (validated.empty()) {
            return ok;
        }
        OtlpEncoding topicEncoding = encodings.get(signal);
        byte[] record = topicEncoding == requestEncoding ? body : topicEncoding.write(validated.request());
        return store(signal, record, ok, json);
    }

    private Response store(Signal signal, byte[] record, Response ok, boolean json) {
        long pending = pendingBytes.addAndGet(record.length);
        // One request alone may exceed the limit: it is the body limit's job to bound a single request.
        if (pending > maxPendingBytes && pending != record.length) {
            pendingBytes.addAndGet(-record.length);
            LOG.warn("{} bytes already await Kafka's acknowledgement; answering 429", maxPendingBytes);
            long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
            return Response.error(429, RESOURCE_EXHAUSTED, "too much data awaits Kafka; retry later", json)
                    .withHeader("Retry-After", Long.toString(seconds));
        }
        long started = System.nanoTime();
        try {
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topics.get(signal), null, record));
            long remaining = ackTimeout.toNanos() - (System.nanoTime() - started);
            ack.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
            return ok;
        } catch (TimeoutException e) {
            LOG.warn("Kafka did not acknowledge an OTLP request within {}; answering 503", ackTimeout);
            return unavailable("Kafka did not acknowledge the data within " + ackTimeout.toMillis() + " ms", json);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RecordTooLargeException) {
                return Response.error(413, INVALID_ARGUMENT, "the request is larger than Kafka accepts: "
                        + cause.getMessage(), json);
            }
            if (cause instanceof RetriableException) {
                LOG.warn("Kafka could not store an OTLP request: {}; answering 503", cause.toString());
                return unavailable("Kafka is unavailable: " + cause.getMessage(), json);
            }
            LOG.error("Kafka refused an OTLP request", cause);
            return Response.error(500, INTERNAL, "Kafka refused the data: " + cause, json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted while waiting for Kafka", json);
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("cannot hand an OTLP request to Kafka: {}", e.toString());
            return unavailable("cannot write to Kafka: " + e.getMessage(), json);
        } finally {
            pendingBytes.addAndGet(-record.length);
        }
    }

    private Response unavailable(String message, boolean json) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return Response.error(503, UNAVAILABLE, message, json).withHeader("Retry-After", Long.toString(seconds));
    }

    private Response tooLarge(boolean json) {
        return Response.error(413, INVALID_ARGUMENT, "the body exceeds " + maxBodyBytes + " bytes", json);
    }

    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int parameters = header.indexOf(';');
        return (parameters < 0 ? header : header.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
    }

    private static long contentLength(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The whole stream, or null when it holds more than {@code limit} bytes. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (out.size() + read > limit) {
                return null;
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = response.body();
        // -1 means "no body" to HttpExchange; 0 would mean chunked.
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** An HTTP answer: status, body, its content type, extra headers. */
    private record Response(int status, byte[] body, String contentType, Map<String, String> headers) {

        static Response ok(Message response) {
            return new Response(200, response.toByteArray(), PROTOBUF, Map.of());
        }

        /** A {@code google.rpc.Status} body, as protobuf or (for JSON requests) as JSON. */
        static Response error(int status, int grpcCode, String message, boolean json) {
            if (json) {
                Map<String, Object> statusJson = new LinkedHashMap<>();
                statusJson.put("code", grpcCode);
                statusJson.put("message", message);
                try {
                    return new Response(status, STATUS_JSON.writeValueAsBytes(statusJson), JSON, Map.of());
                } catch (IOException e) {
                    throw new UncheckedIOException("writing to memory cannot fail", e);
                }
            }
            return new Response(status, rpcStatus(grpcCode, message), PROTOBUF, Map.of());
        }

        Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, body, contentType, more);
        }
    }

    /**
     * A serialized {@code google.rpc.Status} (code = 1, message = 2). Written by hand because the generated class
     * lives in proto-google-common-protos, which nothing else here needs.
     */
    static byte[] rpcStatus(int code, String message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /** What a path carries. */
    public enum Signal {
        METRICS(METRICS_PATH, "ExportMetricsServiceRequest"),
        TRACES(TRACES_PATH, "ExportTraceServiceRequest"),
        LOGS(LOGS_PATH, "ExportLogsServiceRequest"),
        CLOUD_EVENTS(CLOUD_EVENTS_PATH, "EventBridge event");

        private final String path;
        private final String requestName;

        Signal(String path, String requestName) {
            this.path = path;
            this.requestName = requestName;
        }

        public String path() {
            return path;
        }

        String requestName() {
            return requestName;
        }

        static Signal ofPath(String path) {
            for (Signal signal : values()) {
                if (signal.path.equals(path)) {
                    return signal;
                }
            }
            return null;
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "otlp-http-receiver-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    /** Configures a receiver; only the bootstrap servers are required. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String bootstrapServers;
        private final Map<Signal, String> topics = new EnumMap<>(Map.of(
                Signal.METRICS, Topics.defaults().otlpMetrics().name(),
                Signal.TRACES, Topics.defaults().otlpSpans().name(),
                Signal.LOGS, Topics.defaults().otlpLogs().name(),
                Signal.CLOUD_EVENTS, Topics.defaults().cloudEvents().name()));
        private final Map<Signal, OtlpEncoding> encodings = new EnumMap<>(Map.of(
                Signal.METRICS, OtlpEncoding.OTLP_PROTO,
                Signal.TRACES, OtlpEncoding.OTLP_PROTO,
                Signal.LOGS, OtlpEncoding.OTLP_PROTO,
                Signal.CLOUD_EVENTS, OtlpEncoding.OTLP_JSON));
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;
        private int threads = DEFAULT_THREADS;
        private int grpcPort = -1;
        private final Map<String, String> producerOverrides = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Takes bootstrap servers and the otlp-metrics, otlp-spans, otlp-logs and cloud-events topic names from
         * {@link PipelineOptions}, and host, port, body limit, ack timeout and topic encodings from
         * {@link IngestOptions#RECEIVER}.
         */
        public Builder options(Options options) {
            bootstrapServers(options.require(PipelineOptions.BOOTSTRAP_SERVERS));
            Topics catalog = PipelineOptions.topics(options);
            topic(Signal.METRICS, catalog.otlpMetrics().name());
            topic(Signal.TRACES, catalog.otlpSpans().name());
            topic(Signal.LOGS, catalog.otlpLogs().name());
            topic(Signal.CLOUD_EVENTS, catalog.cloudEvents().name());
            encoding(Signal.METRICS, options.get(IngestOptions.ENCODING_METRICS));
            encoding(Signal.TRACES, options.get(IngestOptions.ENCODING_TRACES));
            encoding(Signal.LOGS, options.get(IngestOptions.ENCODING_LOGS));
            host(options.get(IngestOptions.OTLP_HTTP_HOST));
            port(checkOption(options.get(IngestOptions.OTLP_HTTP_PORT), IngestOptions.OTLP_HTTP_PORT.name(),
                    p -> p >= 0 && p <= 65_535, "between 0 and 65535"));
            maxBodyBytes(checkOption(options.get(IngestOptions.OTLP_HTTP_MAX_BODY_BYTES),
                    IngestOptions.OTLP_HTTP_MAX_BODY_BYTES.name(), b -> b > 0, "positive"));
            grpcPort(checkOption(options.get(IngestOptions.OTLP_GRPC_PORT), IngestOptions.OTLP_GRPC_PORT.name(),
                    p -> p >= -1 && p <= 65_535, "-1 (off) or between 0 and 65535"));
            ackTimeout(checkOption(options.get(IngestOptions.OTLP_HTTP_ACK_TIMEOUT),
                    IngestOptions.OTLP_HTTP_ACK_TIMEOUT.name(), d -> !d.isZero() && !d.isNegative(), "positive"));
            return this;
        }

        /** Listen address; default {@value OtlpHttpReceiver#DEFAULT_HOST}, {@code 0.0.0.0} for all interfaces. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        /** Default {@value OtlpHttpReceiver#DEFAULT_PORT}; 0 picks a free port (see {@link #port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder bootstrapServers(String bootstrapServers) {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            if (bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers must not be blank");
            }
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** Topic the metrics requests go to; default the catalog's otlp-metrics name. */
        public Builder topic(String topic) {
            return topic(Signal.METRICS, topic);
        }

        /** Topic a signal's requests go to; defaults are the catalog's names. */
        public Builder topic(Signal signal, String topic) {
            Objects.requireNonNull(signal, "signal");
            Objects.requireNonNull(topic, "topic");
            if (topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank");
            }
            topics.put(signal, topic);
            return this;
        }

        /** The encoding records of an OTLP signal's topic are written in; default {@code otlp_proto}. */
        public Builder encoding(Signal signal, OtlpEncoding encoding) {
            Objects.requireNonNull(signal, "signal");
            Objects.requireNonNull(encoding, "encoding");
            if (signal == Signal.CLOUD_EVENTS) {
                throw new IllegalArgumentException("cloud events are stored as the EventBridge JSON they arrive in");
            }
            encodings.put(signal, encoding);
            return this;
        }

        /** Bytes that may await Kafka's acknowledgement before requests are answered 429; default 64 MiB. */
        public Builder maxPendingBytes(long maxPendingBytes) {
            if (maxPendingBytes <= 0) {
                throw new IllegalArgumentException("maxPendingBytes must be positive: " + maxPendingBytes);
            }
            this.maxPendingBytes = maxPendingBytes;
            return this;
        }

        /** Largest body accepted, compressed or decompressed; default 8 MiB. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes <= 0) {
                throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** How long to wait for Kafka's acknowledgement before answering 503; default 10 s. */
        public Builder ackTimeout(Duration ackTimeout) {
            Objects.requireNonNull(ackTimeout, "ackTimeout");
            if (ackTimeout.isZero() || ackTimeout.isNegative()) {
                throw new IllegalArgumentException("ackTimeout must be positive: " + ackTimeout);
            }
            this.ackTimeout = ackTimeout;
            return this;
        }

        /** The {@code Retry-After} of 503 answers, rounded up to whole seconds; default 5 s. */
        public Builder retryAfter(Duration retryAfter) {
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * Also serve OTLP/gRPC ({@code MetricsService}, {@code TraceService}, {@code LogsService}) on this port of the
         * same host; 0 picks a free one (see {@link OtlpHttpReceiver#grpcPort()}), -1 (the default) serves none.
         */
        public Builder grpcPort(int grpcPort) {
            if (grpcPort < -1 || grpcPort > 65_535) {
                throw new IllegalArgumentException("grpcPort must be -1 (off) or between 0 and 65535: " + grpcPort);
            }
            this.grpcPort = grpcPort;
            return this;
        }

        /** Request-handling threads; default {@value OtlpHttpReceiver#DEFAULT_THREADS}. */
        public Builder threads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("threads must be positive: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** A Kafka producer setting (e.g. security), applied over the receiver's own. */
        public Builder producerProperty(String name, String value) {
            producerOverrides.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public OtlpHttpReceiver build() {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            return new OtlpHttpReceiver(this);
        }

        private static <T> T checkOption(T value, String name, Predicate<T> valid, String expected) {
            if (!valid.test(value)) {
                throw new OptionException("--" + name + " must be " + expected + ": " + value);
            }
            return value;
        }
    }
}
