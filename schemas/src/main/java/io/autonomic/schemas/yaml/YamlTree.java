package io.autonomic.schemas.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as nodes that remember their line. Jackson's tree model drops locations, so the document is read
 * from the streaming parser instead; that keeps every later validation error pointing at the line a person edits.
 * Shared by every configuration file reader (detect rules, worker playbooks), each raising its own exception type.
 */
public final class YamlTree {

    /** Builds the reader's own configuration exception, so its messages keep naming file, line and field. */
    public interface Errors {
        RuntimeException at(String source, int line, String field, String message);

        RuntimeException unreadable(String source, String message, Throwable cause);
    }

    private YamlTree() {
    }

    public sealed interface Node permits MapNode, ListNode, ScalarNode {
        int line();

        String describe();
    }

    public record Entry(String key, int line, Node value) {
    }

    public record MapNode(int line, Map<String, Entry> entries) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    public record ListNode(int line, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar; {@code text} is null for an explicit YAML null ({@code ~}, {@code null} or nothing). */
    public record ScalarNode(int line, String text) implements Node {
        @Override
        public String describe() {
            return text == null ? "null" : "'" + text + "'";
        }
    }

    /** Reads a document; an empty document is an empty mapping. */
    public static Node read(String text, String source, Errors errors) {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new MapNode(1, Collections.emptyMap());
            }
            Node root = readValue(parser, source, errors);
            if (parser.nextToken() != null) {
                throw errors.at(source, lineOf(parser.currentTokenLocation()), "", "only one YAML document is allowed");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            throw errors.at(source, location == null ? 1 : lineOf(location), "",
                    "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw errors.unreadable(source, "cannot read YAML: " + e.getMessage(), e);
        }
    }

    private static Node readValue(JsonParser parser, String source, Errors errors) throws IOException {
        int line = lineOf(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = lineOf(parser.currentTokenLocation());
                    parser.nextToken();
                    Node value = readValue(parser, source, errors);
                    if (entries.containsKey(key)) {
                        throw errors.at(source, keyLine, key, "duplicate key");
                    }
                    entries.put(key, new Entry(key, keyLine, value));
                }
                return new MapNode(line, Collections.unmodifiableMap(entries));
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, source, errors));
                }
                return new ListNode(line, Collections.unmodifiableList(items));
            }
            case VALUE_NULL -> {
                return new ScalarNode(line, null);
            }
            default -> {
                return new ScalarNode(line, parser.getText());
            }
        }
    }

    private static int lineOf(JsonLocation location) {
        return Math.max(1, location.getLineNr());
    }
}
