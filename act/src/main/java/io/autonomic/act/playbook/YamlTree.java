package io.autonomic.act.playbook;

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
 */
final class YamlTree {

    private YamlTree() {
    }

    sealed interface Node permits MapNode, ListNode, ScalarNode {
        int line();

        String describe();
    }

    record Entry(String key, int line, Node value) {
    }

    record MapNode(int line, Map<String, Entry> entries) implements Node {
        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record ListNode(int line, List<Node> items) implements Node {
        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A scalar; {@code text} is null for an explicit YAML null ({@code ~}, {@code null} or nothing). */
    record ScalarNode(int line, String text) implements Node {
        @Override
        public String describe() {
            return text == null ? "null" : "'" + text + "'";
        }
    }

    /** Reads a document; an empty document is an empty mapping. */
    static Node read(String text, String source) {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new MapNode(1, Collections.emptyMap());
            }
            Node root = readValue(parser, source);
            if (parser.nextToken() != null) {
                throw new PlaybookException(source, lineOf(parser.currentTokenLocation()), "",
                        "only one YAML document is allowed");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            throw new PlaybookException(source, location == null ? 1 : lineOf(location), "",
                    "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PlaybookException(source, "cannot read YAML: " + e.getMessage(), e);
        }
    }

    private static Node readValue(JsonParser parser, String source) throws IOException {
        int line = lineOf(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = lineOf(parser.currentTokenLocation());
                    parser.nextToken();
                    Node value = readValue(parser, source);
                    if (entries.containsKey(key)) {
                        throw new PlaybookException(source, keyLine, key, "duplicate key");
                    }
                    entries.put(key, new Entry(key, keyLine, value));
                }
                return new MapNode(line, Collections.unmodifiableMap(entries));
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, source));
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
