package io.autonomic.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The two payload encodings of the OpenTelemetry Collector's kafka exporter (and of OTLP/HTTP): {@code otlp_proto},
 * a serialized export request, and {@code otlp_json}, its OTLP/JSON form. OTLP/JSON differs from protobuf's
 * canonical JSON in one way that matters: trace and span ids are hex strings, not base64, so they are rewritten
 * before protobuf's JSON parser sees them. Unknown fields are ignored, as the specification requires of receivers.
 */
public enum OtlpEncoding {

    OTLP_PROTO,
    OTLP_JSON;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HEX_ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id",
            "parent_span_id");
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace()
            .printingEnumsAsInts();

    /** Reads the kafka exporter's names ({@code otlp_proto}, {@code otlp_json}) as well as the enum's. */
    public static OtlpEncoding fromName(String name) {
        String normalized = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (normalized) {
            case "otlp_proto", "proto", "protobuf" -> OTLP_PROTO;
            case "otlp_json", "json" -> OTLP_JSON;
            default -> throw new IllegalArgumentException("unknown OTLP encoding '" + name + "' (use otlp_proto or otlp_json)");
        };
    }

    /** The name the kafka exporter's {@code encoding} setting uses: {@code otlp_proto} or {@code otlp_json}. */
    public String kafkaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public ExportMetricsServiceRequest parseMetrics(byte[] payload) throws InvalidProtocolBufferException {
        return this == OTLP_PROTO ? ExportMetricsServiceRequest.parseFrom(payload)
                : mergeJson(payload, ExportMetricsServiceRequest.newBuilder()).build();
    }

    public ExportTraceServiceRequest parseTraces(byte[] payload) throws InvalidProtocolBufferException {
        return this == OTLP_PROTO ? ExportTraceServiceRequest.parseFrom(payload)
                : mergeJson(payload, ExportTraceServiceRequest.newBuilder()).build();
    }

    public ExportLogsServiceRequest parseLogs(byte[] payload) throws InvalidProtocolBufferException {
        return this == OTLP_PROTO ? ExportLogsServiceRequest.parseFrom(payload)
                : mergeJson(payload, ExportLogsServiceRequest.newBuilder()).build();
    }

    /**
     * Writes a message in this encoding. OTLP/JSON as the specification (and the Collector) writes it: lowerCamelCase
     * names, hex trace and span ids, enums as integers, 64-bit integers as strings, default values omitted.
     */
    public byte[] write(Message request) {
        if (this == OTLP_PROTO) {
            return request.toByteArray();
        }
        try {
            JsonNode tree = JSON.readTree(PRINTER.print(request));
            rewriteIds(tree, false);
            return JSON.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot print OTLP/JSON", e);
        }
    }

    private static <B extends Message.Builder> B mergeJson(byte[] payload, B builder) throws InvalidProtocolBufferException {
        JsonNode tree;
        try {
            tree = JSON.readTree(payload);
        } catch (IOException e) {
            throw new InvalidProtocolBufferException("not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidProtocolBufferException("OTLP/JSON payload must be a JSON object");
        }
        rewriteIds(tree, true);
        try {
            JSON_PARSER.merge(JSON.writeValueAsString(tree), builder);
        } catch (IOException | RuntimeException e) {
            throw new InvalidProtocolBufferException("not OTLP/JSON: " + e.getMessage());
        }
        return builder;
    }

    /** Hex ids to base64 (reading) or base64 ids to hex (writing), anywhere in the tree. */
    private static void rewriteIds(JsonNode node, boolean hexToBase64) throws InvalidProtocolBufferException {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (HEX_ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(convertId(field.getKey(), field.getValue().asText(), hexToBase64)));
                } else {
                    rewriteIds(field.getValue(), hexToBase64);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                rewriteIds(element, hexToBase64);
            }
        }
    }

    private static String convertId(String field, String value, boolean hexToBase64) throws InvalidProtocolBufferException {
        if (value.isEmpty()) {
            return value;
        }
        try {
            return hexToBase64 ? Base64.getEncoder().encodeToString(HexFormat.of().parseHex(value))
                    : HexFormat.of().formatHex(Base64.getDecoder().decode(value));
        } catch (IllegalArgumentException e) {
            throw new InvalidProtocolBufferException(field + " is not a " + (hexToBase64 ? "hex" : "base64")
                    + " id: '" + value + "'");
        }
    }
}
