package io.autonomic.ingest.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP values flattened to strings for the traces and logs decoders, with the same scalar forms as the metrics
 * decoder's attribute flattening (string as is, integral doubles without a fraction, bytes as base64, arrays and
 * maps as JSON with sorted keys), so a resource yields the same identity whichever signal carried it. Nesting is
 * cut at {@link #MAX_DEPTH} levels: absurdly nested values must not cost a stack overflow.
 */
public final class OtlpValues {

    public static final int MAX_DEPTH = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OtlpValues() {
    }

    /** Attributes as a key-sorted map; of duplicate keys the last wins. */
    public static Map<String, String> flatten(List<KeyValue> attributes) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (KeyValue attribute : attributes) {
            sorted.put(attribute.getKey(), toText(attribute.getValue()));
        }
        return new LinkedHashMap<>(sorted);
    }

    public static String toText(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> formatDouble(value.getDoubleValue());
            case BYTES_VALUE -> base64(value.getBytesValue());
            case ARRAY_VALUE, KVLIST_VALUE -> {
                try {
                    yield JSON.writeValueAsString(toJson(value, 0));
                } catch (Exception e) {
                    yield value.getValueCase().name();
                }
            }
            case VALUE_NOT_SET -> "";
        };
    }

    /** Lowercase hex of an OTLP trace or span id; null when absent (all bytes empty). */
    public static String hexId(ByteString id) {
        return id.isEmpty() ? null : HexFormat.of().formatHex(id.toByteArray());
    }

    static String formatDouble(double value) {
        if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String base64(ByteString bytes) {
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static JsonNode toJson(AnyValue value, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (depth >= MAX_DEPTH) {
            return nodes.textNode("…");
        }
        switch (value.getValueCase()) {
            case STRING_VALUE:
                return nodes.textNode(value.getStringValue());
            case BOOL_VALUE:
                return nodes.booleanNode(value.getBoolValue());
            case INT_VALUE:
                return nodes.numberNode(value.getIntValue());
            case DOUBLE_VALUE:
                double d = value.getDoubleValue();
                return Double.isFinite(d) ? nodes.numberNode(d) : nodes.textNode(Double.toString(d));
            case BYTES_VALUE:
                return nodes.textNode(base64(value.getBytesValue()));
            case ARRAY_VALUE: {
                ArrayNode array = nodes.arrayNode();
                for (AnyValue element : value.getArrayValue().getValuesList()) {
                    array.add(toJson(element, depth + 1));
                }
                return array;
            }
            case KVLIST_VALUE: {
                TreeMap<String, AnyValue> sorted = new TreeMap<>();
                for (KeyValue entry : value.getKvlistValue().getValuesList()) {
                    sorted.put(entry.getKey(), entry.getValue());
                }
                ObjectNode object = nodes.objectNode();
                sorted.forEach((k, v) -> object.set(k, toJson(v, depth + 1)));
                return object;
            }
            default:
                return nodes.nullNode();
        }
    }
}
