package io.autonomic.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flattens OTLP attribute values to strings, deterministically: the same attributes always give the same strings,
 * so series keys and resource ids are stable.
 *
 * <ul>
 *   <li>string: as is; bool: {@code true}/{@code false}; int: decimal</li>
 *   <li>double: {@link #formatDouble} ({@code 2}, {@code 0.5}, {@code 1.0E-5}, {@code NaN})</li>
 *   <li>bytes: base64 (RFC 4648, padded)</li>
 *   <li>array and kvlist: JSON, as the OpenTelemetry specification asks of non-OTLP formats; kvlist keys are
 *       sorted (the last of duplicate keys wins) and bytes inside them are base64 strings</li>
 *   <li>no value set: the empty string ({@code null} inside JSON)</li>
 * </ul>
 */
public final class AttributeValues {

    /** Deeper array/kvlist nesting is cut (written as a "…" string): absurd nesting must not cost a stack overflow. */
    public static final int MAX_DEPTH = 16;

    private AttributeValues() {
    }

    /** Attributes as a key-sorted map; of duplicate keys the last wins, as in the SDKs. */
    public static Map<String, String> flatten(List<KeyValue> attributes) {
        if (attributes.isEmpty()) {
            return new LinkedHashMap<>();
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (KeyValue attribute : attributes) {
            sorted.put(attribute.getKey(), toText(attribute.getValue()));
        }
        return new LinkedHashMap<>(sorted);
    }

    /** A copy iterating in key order. */
    static Map<String, String> sorted(Map<String, String> attributes) {
        return new LinkedHashMap<>(new TreeMap<>(attributes));
    }

    public static String toText(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> formatDouble(value.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> {
                StringBuilder json = new StringBuilder();
                appendJson(json, value, 0);
                yield json.toString();
            }
            case VALUE_NOT_SET -> "";
        };
    }

    /** Integral values without a fraction ({@code 2}, not {@code 2.0}), others as {@link Double#toString}. */
    public static String formatDouble(double value) {
        if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** Lowercase hex of an OTLP trace or span id; null when absent (no bytes). */
    public static String hexId(com.google.protobuf.ByteString id) {
        return id.isEmpty() ? null : java.util.HexFormat.of().formatHex(id.toByteArray());
    }

    private static void appendJson(StringBuilder json, AnyValue value, int depth) {
        if (depth >= MAX_DEPTH) {
            appendJsonString(json, "…");
            return;
        }
        switch (value.getValueCase()) {
            case STRING_VALUE -> appendJsonString(json, value.getStringValue());
            case BOOL_VALUE -> json.append(value.getBoolValue());
            case INT_VALUE -> json.append(value.getIntValue());
            case DOUBLE_VALUE -> {
                double d = value.getDoubleValue();
                if (Double.isFinite(d)) {
                    json.append(formatDouble(d));
                } else {
                    appendJsonString(json, Double.toString(d)); // JSON has no NaN or Infinity literals
                }
            }
            case BYTES_VALUE -> appendJsonString(json, Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                json.append('[');
                List<AnyValue> values = value.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    appendJson(json, values.get(i), depth + 1);
                }
                json.append(']');
            }
            case KVLIST_VALUE -> {
                TreeMap<String, AnyValue> sorted = new TreeMap<>();
                for (KeyValue entry : value.getKvlistValue().getValuesList()) {
                    sorted.put(entry.getKey(), entry.getValue());
                }
                json.append('{');
                boolean first = true;
                for (Map.Entry<String, AnyValue> entry : sorted.entrySet()) {
                    if (!first) {
                        json.append(',');
                    }
                    appendJsonString(json, entry.getKey());
                    json.append(':');
                    appendJson(json, entry.getValue(), depth + 1);
                    first = false;
                }
                json.append('}');
            }
            case VALUE_NOT_SET -> json.append("null");
        }
    }

    private static void appendJsonString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
