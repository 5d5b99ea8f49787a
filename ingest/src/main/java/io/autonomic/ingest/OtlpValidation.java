package io.autonomic.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * What the receiver checks before storing an OTLP request, and the response it owes: the count of data points,
 * spans or log records that downstream cannot use goes into {@code partial_success}, as the OTLP specification
 * asks, while the request itself is stored whole (the ingest decoders skip and dead-letter those parts).
 *
 * <ul>
 *   <li>Metrics: every problem {@link OtlpMetricsDecoder} reports (a point without timestamp or value, a NaN, a
 *       metric without name or data).</li>
 *   <li>Spans: a trace id that is not 16 bytes or is all zeros, or a span id that is not 8 bytes or is all
 *       zeros.</li>
 *   <li>Log records: a trace id present but not 16 bytes, or a span id present but not 8 bytes.</li>
 * </ul>
 */
final class OtlpValidation {

    /** The parsed request, the response to send, and whether there was nothing to store. */
    record Validated(Message request, Message response, boolean empty) {
    }

    private OtlpValidation() {
    }

    static Validated validate(OtlpHttpReceiver.Signal signal, OtlpEncoding encoding, byte[] body)
            throws InvalidProtocolBufferException {
        return switch (signal) {
            case METRICS -> metrics(encoding.parseMetrics(body));
            case TRACES -> traces(encoding.parseTraces(body));
            case LOGS -> logs(encoding.parseLogs(body));
            case CLOUD_EVENTS -> throw new IllegalArgumentException("cloud events are not OTLP");
        };
    }

    static Validated metrics(ExportMetricsServiceRequest request) {
        if (request.getResourceMetricsCount() == 0) {
            return new Validated(request, ExportMetricsServiceResponse.getDefaultInstance(), true);
        }
        DecodeResult result;
        try {
            result = new OtlpMetricsDecoder().decodeWithProblems(request);
        } catch (OtlpDecodeException e) {
            // resource entries without a single metric: nothing to store, nothing rejected
            return new Validated(request, ExportMetricsServiceResponse.getDefaultInstance(), true);
        }
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        if (result.hasProblems()) {
            response.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(result.problems().size())
                    .setErrorMessage(result.problemSummary()));
        }
        return new Validated(request, response.build(), false);
    }

    static Validated traces(ExportTraceServiceRequest request) {
        long rejected = 0;
        String firstProblem = null;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    String problem = !validId(span.getTraceId(), 16) ? "trace id of " + span.getTraceId().size() + " bytes"
                            : !validId(span.getSpanId(), 8) ? "span id of " + span.getSpanId().size() + " bytes" : null;
                    if (problem != null) {
                        rejected++;
                        firstProblem = firstProblem == null ? "span '" + span.getName() + "' has an invalid " + problem
                                : firstProblem;
                    }
                }
            }
        }
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected)
                    .setErrorMessage(rejected + " span(s) rejected; first: " + firstProblem));
        }
        return new Validated(request, response.build(), request.getResourceSpansCount() == 0);
    }

    static Validated logs(ExportLogsServiceRequest request) {
        long rejected = 0;
        String firstProblem = null;
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord log : scopeLogs.getLogRecordsList()) {
                    boolean badTrace = !log.getTraceId().isEmpty() && log.getTraceId().size() != 16;
                    boolean badSpan = !log.getSpanId().isEmpty() && log.getSpanId().size() != 8;
                    if (badTrace || badSpan) {
                        rejected++;
                        firstProblem = firstProblem == null ? "a log record has a " + (badTrace ? "trace" : "span")
                                + " id of the wrong length" : firstProblem;
                    }
                }
            }
        }
        ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
        if (rejected > 0) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected)
                    .setErrorMessage(rejected + " log record(s) rejected; first: " + firstProblem));
        }
        return new Validated(request, response.build(), request.getResourceLogsCount() == 0);
    }

    private static boolean validId(ByteString id, int length) {
        if (id.size() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (id.byteAt(i) != 0) {
                return true;
            }
        }
        return false;
    }
}
