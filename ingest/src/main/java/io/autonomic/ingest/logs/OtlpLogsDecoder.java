package io.autonomic.ingest.logs;

import io.autonomic.ingest.AttributeValues;
import com.google.protobuf.InvalidProtocolBufferException;
import io.autonomic.ingest.OtlpDecodeException;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.ingest.ResourceIdentity;
import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.avro.Resource;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ExportLogsServiceRequest} to {@link LogEvent}s, without templates (the miner adds those). The resource is
 * {@link ResourceIdentity#resolve} of the OTLP resource; the time is the record's time, else its observed time,
 * else the Kafka record's timestamp; the body is the string value, or the flattened form of any other value; trace
 * and span ids are lowercase hex.
 */
public final class OtlpLogsDecoder implements DecodeOtlpFunction.RecordDecoder<LogEvent> {

    private static final long serialVersionUID = 1L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final OtlpEncoding encoding;

    public OtlpLogsDecoder(OtlpEncoding encoding) {
        this.encoding = Objects.requireNonNull(encoding, "encoding");
    }

    @Override
    public DecodeOtlpFunction.Decoded<LogEvent> decode(byte[] payload, long recordTimestamp) throws OtlpDecodeException {
        ExportLogsServiceRequest request;
        try {
            request = encoding.parseLogs(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException(OtlpDecodeException.MALFORMED_PROTOBUF,
                    "not an OTLP logs request (" + encoding + "): " + e.getMessage(), e);
        }
        List<LogEvent> events = new ArrayList<>();
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            Resource resource = ResourceIdentity.resolve(AttributeValues.flatten(resourceLogs.getResource().getAttributesList()));
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                for (LogRecord record : scopeLogs.getLogRecordsList()) {
                    events.add(toEvent(resource, record, recordTimestamp));
                }
            }
        }
        if (events.isEmpty()) {
            throw new OtlpDecodeException(OtlpDecodeException.EMPTY_REQUEST, "the request holds no log records");
        }
        return DecodeOtlpFunction.Decoded.of(events);
    }

    private static LogEvent toEvent(Resource resource, LogRecord record, long recordTimestamp) {
        long nanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
        Map<String, String> attributes = AttributeValues.flatten(record.getAttributesList());
        return LogEvent.newBuilder()
                .setResource(resource)
                .setTimestampMillis(nanos != 0 ? nanos / NANOS_PER_MILLI : recordTimestamp)
                .setSeverityNumber(record.getSeverityNumberValue())
                .setSeverityText(record.getSeverityText())
                .setBody(AttributeValues.toText(record.getBody()))
                .setAttributes(attributes)
                .setTraceId(AttributeValues.hexId(record.getTraceId()))
                .setSpanId(AttributeValues.hexId(record.getSpanId()))
                .build();
    }

    /** The severity bucket used for {@code log.records}: the OTLP range names (TRACE … FATAL) or UNSPECIFIED. */
    public static String severityBucket(LogEvent event) {
        int n = event.getSeverityNumber();
        if (n >= 1 && n <= 4) {
            return "TRACE";
        } else if (n <= 8 && n > 0) {
            return "DEBUG";
        } else if (n <= 12 && n > 0) {
            return "INFO";
        } else if (n <= 16 && n > 0) {
            return "WARN";
        } else if (n <= 20 && n > 0) {
            return "ERROR";
        } else if (n <= 24 && n > 0) {
            return "FATAL";
        }
        return "UNSPECIFIED";
    }
}
