package io.autonomic.ingest.traces;

import io.autonomic.ingest.AttributeValues;
import com.google.protobuf.InvalidProtocolBufferException;
import io.autonomic.ingest.OtlpDecodeException;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.ingest.ResourceIdentity;
import io.autonomic.ingest.logs.DecodeOtlpFunction;
import io.autonomic.schemas.avro.Resource;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code ExportTraceServiceRequest} to {@link SpanSample}s, following the OpenTelemetry semantic conventions:
 *
 * <ul>
 *   <li>server and consumer spans are samples of their service; client and producer spans are edge samples;
 *       internal spans carry no RED signal and are skipped</li>
 *   <li>the callee is {@code peer.service}, else {@code server.address} (old: {@code net.peer.name}), else
 *       {@code db.system.name} (old: {@code db.system}), else {@code messaging.system}</li>
 *   <li>a span failed when its status is ERROR; or, on server spans, the HTTP status
 *       ({@code http.response.status_code}, old {@code http.status_code}) is 5xx or the gRPC status
 *       ({@code rpc.grpc.status_code}) is one the conventions count as a server error (UNKNOWN, DEADLINE_EXCEEDED,
 *       UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS); on client spans, an HTTP status of 4xx or 5xx or any
 *       gRPC status but OK</li>
 * </ul>
 *
 * A span without a valid start and end time (end before start, or missing) is dropped and reported as
 * {@value #INVALID_SPAN_TIME}; the rest of the request still decodes.
 */
public final class OtlpSpansDecoder implements DecodeOtlpFunction.RecordDecoder<SpanSample> {

    private static final long serialVersionUID = 1L;
    public static final String INVALID_SPAN_TIME = "invalid-span-time";
    public static final String UNKNOWN_SERVICE = "unknown_service";

    private static final Set<Long> GRPC_SERVER_ERRORS = Set.of(2L, 4L, 12L, 13L, 14L, 15L);

    private final OtlpEncoding encoding;

    public OtlpSpansDecoder(OtlpEncoding encoding) {
        this.encoding = Objects.requireNonNull(encoding, "encoding");
    }

    @Override
    public DecodeOtlpFunction.Decoded<SpanSample> decode(byte[] payload, long recordTimestamp) throws OtlpDecodeException {
        ExportTraceServiceRequest request;
        try {
            request = encoding.parseTraces(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException(OtlpDecodeException.MALFORMED_PROTOBUF,
                    "not an OTLP traces request (" + encoding + "): " + e.getMessage(), e);
        }
        List<SpanSample> samples = new ArrayList<>();
        int spans = 0;
        int invalid = 0;
        String firstInvalid = null;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Resource resource = ResourceIdentity.resolve(AttributeValues.flatten(resourceSpans.getResource().getAttributesList()));
            String service = resource.getService() == null || resource.getService().isEmpty()
                    ? UNKNOWN_SERVICE : resource.getService();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans++;
                    if (span.getStartTimeUnixNano() == 0 || span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
                        invalid++;
                        if (firstInvalid == null) {
                            firstInvalid = "span '" + span.getName() + "' of " + service + " starts at "
                                    + span.getStartTimeUnixNano() + " and ends at " + span.getEndTimeUnixNano();
                        }
                        continue;
                    }
                    SpanSample sample = toSample(resource, service, span);
                    if (sample != null) {
                        samples.add(sample);
                    }
                }
            }
        }
        if (spans == 0) {
            throw new OtlpDecodeException(OtlpDecodeException.EMPTY_REQUEST, "the request holds no spans");
        }
        if (invalid > 0) {
            return new DecodeOtlpFunction.Decoded<>(samples, INVALID_SPAN_TIME,
                    invalid + " of " + spans + " spans dropped; first: " + firstInvalid);
        }
        return DecodeOtlpFunction.Decoded.of(samples);
    }

    static SpanSample toSample(Resource resource, String service, Span span) {
        boolean server = span.getKind() == Span.SpanKind.SPAN_KIND_SERVER || span.getKind() == Span.SpanKind.SPAN_KIND_CONSUMER;
        boolean client = span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT || span.getKind() == Span.SpanKind.SPAN_KIND_PRODUCER;
        if (!server && !client) {
            return null;
        }
        Map<String, String> attributes = AttributeValues.flatten(span.getAttributesList());
        long endMillis = span.getEndTimeUnixNano() / 1_000_000L;
        double durationMillis = (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000.0;
        boolean error = failed(span, attributes, server);
        String protocol = protocol(attributes);
        if (server) {
            SpanSample sample = new SpanSample(SpanSample.Role.SERVICE, resource, service, "", protocol, endMillis,
                    durationMillis, error);
            if (span.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
                sample.clientAddress = first(attributes, "client.address", "net.sock.peer.addr", "net.peer.ip",
                        "http.client_ip");
                sample.userAgent = attributes.containsKey("user_agent.original") ? attributes.get("user_agent.original")
                        : attributes.get("http.user_agent");
            }
            return sample;
        }
        return new SpanSample(SpanSample.Role.EDGE, resource, service, callee(attributes), protocol, endMillis,
                durationMillis, error);
    }

    static boolean failed(Span span, Map<String, String> attributes, boolean server) {
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            return true;
        }
        Long http = number(first(attributes, "http.response.status_code", "http.status_code"));
        if (http != null && (http >= 500 || (!server && http >= 400))) {
            return true;
        }
        Long grpc = number(attributes.get("rpc.grpc.status_code"));
        return grpc != null && (server ? GRPC_SERVER_ERRORS.contains(grpc) : grpc != 0);
    }

    static String callee(Map<String, String> attributes) {
        String callee = first(attributes, "peer.service", "server.address", "net.peer.name", "db.system.name",
                "db.system", "messaging.system");
        return callee == null ? "unknown" : callee;
    }

    static String protocol(Map<String, String> attributes) {
        String db = first(attributes, "db.system.name", "db.system");
        if (db != null) {
            return "db:" + db;
        }
        String messaging = attributes.get("messaging.system");
        if (messaging != null && !messaging.isEmpty()) {
            return "messaging:" + messaging;
        }
        String rpc = attributes.get("rpc.system");
        if (rpc != null && !rpc.isEmpty()) {
            return rpc;
        }
        if (first(attributes, "http.request.method", "http.method", "http.response.status_code", "http.status_code") != null) {
            return "http";
        }
        return "";
    }

    private static String first(Map<String, String> attributes, String... keys) {
        for (String key : keys) {
            String value = attributes.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
