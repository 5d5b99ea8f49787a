package io.autonomic.enrich;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.TopologyEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The declared topology, read from YAML:
 *
 * <pre>{@code
 * services:
 *   checkout:
 *     layer: application        # infrastructure | platform | application | data | network
 *     owner: team-payments
 *     criticality: high
 *     environment: prod
 *     dependsOn: [inventory, orders-db]
 *     tags:
 *       AutoRemediate: "false"
 *       maintenance: "2026-12-01T02:00Z/PT2H"   # START/DURATION[,...]; see MaintenanceTag
 *   orders-db:
 *     layer: data
 * }</pre>
 *
 * <p>Parsing is strict because a mistake here silently changes what the worker may touch: unknown keys, unknown
 * layers, duplicate keys, aliases, unreadable {@code AutoRemediate} values and malformed YAML all fail with a
 * {@link TopologyException} naming the file, line and column. A dependency on a service this file does not declare
 * is allowed (it may be external) and reported in {@link #warnings()}. Scalar values that YAML reads as numbers or
 * booleans are kept as written ({@code AutoRemediate: no} becomes the tag value {@code "no"}).
 *
 * <p>The streaming parser is used instead of a tree because only it knows where each token came from.
 */
public final class TopologyFile {

    /** Fields a service may declare, in documentation order. */
    public static final List<String> FIELDS = List.of("layer", "owner", "criticality", "environment", "dependsOn",
            "tags");

    /** Layers a file may name; {@code UNKNOWN} is what an absent layer means, not something to declare. */
    public static final List<String> LAYERS = Arrays.stream(Layer.values())
            .filter(layer -> layer != Layer.UNKNOWN)
            .map(layer -> layer.name().toLowerCase(Locale.ROOT))
            .toList();

    /** Tag that stops the worker acting on a service; see {@link TopologyContexts}. */
    public static final String AUTO_REMEDIATE_TAG = "AutoRemediate";

    private static final List<String> BOOLEAN_WORDS = List.of("true", "false", "yes", "no", "on", "off", "1", "0");

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Without this a key with nothing after it reads as "" rather than as "not set".
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();

    private final String source;
    private final List<TopologyEntry> entries;
    private final List<String> warnings;

    private TopologyFile(String source, List<TopologyEntry> entries, List<String> warnings) {
        this.source = source;
        this.entries = Collections.unmodifiableList(entries);
        this.warnings = Collections.unmodifiableList(warnings);
    }

    /** Reads and validates a topology file; the path as given names the file in messages. */
    public static TopologyFile parse(Path path) {
        Objects.requireNonNull(path, "path");
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new TopologyException(path.toString(), 0, 0, "cannot read the topology file: " + e, e);
        }
        return parse(path.toString(), text);
    }

    /**
     * Validates topology YAML held in memory.
     *
     * @param name how messages refer to the text, e.g. a file name; null for none
     */
    public static TopologyFile parse(String name, String yamlText) {
        Objects.requireNonNull(yamlText, "yamlText");
        Reader reader = new Reader(name);
        try (YAMLParser parser = (YAMLParser) YAML.createParser(yamlText)) {
            return reader.read(parser);
        } catch (JsonProcessingException e) {
            throw reader.syntaxError(e);
        } catch (IOException e) {
            throw new TopologyException(name, 0, 0, "cannot read the topology: " + e, e);
        }
    }

    /** The file name given to {@code parse}, or null. */
    public String source() {
        return source;
    }

    /** One entry per declared service, sorted by service name. */
    public List<TopologyEntry> entries() {
        return entries;
    }

    /** The declared service of that name, if any. */
    public Optional<TopologyEntry> entry(String service) {
        return entries.stream().filter(entry -> entry.getService().equals(service)).findFirst();
    }

    /** Non-fatal findings, each as {@code <file>:<line>:<column>: <text>}, in file order. */
    public List<String> warnings() {
        return warnings;
    }

    /** Walks the token stream once, remembering where it is so errors can say so. */
    private static final class Reader {

        private final String source;
        private final Map<String, TopologyEntry> services = new LinkedHashMap<>();
        private final List<Dependency> dependencies = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private String where = "at the top level";

        Reader(String source) {
            this.source = source;
        }

        TopologyFile read(YAMLParser parser) throws IOException {
            JsonToken root = next(parser);
            if (root == null || root == JsonToken.VALUE_NULL
                    || (root == JsonToken.VALUE_STRING && parser.getText().isBlank())) {
                JsonLocation at = root == null ? null : parser.currentTokenLocation();
                throw new TopologyException(source, at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(),
                        "the file is empty; expected a top-level 'services:' mapping");
            }
            if (root != JsonToken.START_OBJECT) {
                throw error(parser, "the top level must be a mapping with a 'services' key, found " + describe(parser));
            }
            JsonLocation rootLocation = parser.currentTokenLocation();
            boolean sawServices = false;
            while (next(parser) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (!"services".equals(key)) {
                    throw error(parser, "unknown top-level key '" + key + "' (known: services)");
                }
                sawServices = true;
                readServices(parser);
                where = "at the top level";
            }
            if (!sawServices) {
                throw error(rootLocation, "no 'services' key; declare services under a top-level 'services:' mapping");
            }
            if (next(parser) != null) {
                throw error(parser, "a second YAML document is not supported; declare every service under the one "
                        + "'services:' mapping");
            }
            for (Dependency dependency : dependencies) {
                if (!services.containsKey(dependency.target())) {
                    warnings.add(TopologyException.position(source, dependency.line(), dependency.column())
                            + "service '" + dependency.service() + "' depends on '" + dependency.target()
                            + "', which this file does not declare");
                }
            }
            List<TopologyEntry> sorted = new ArrayList<>(services.values());
            sorted.sort(Comparator.comparing(TopologyEntry::getService));
            return new TopologyFile(source, sorted, warnings);
        }

        private void readServices(YAMLParser parser) throws IOException {
            where = "in 'services'";
            JsonToken value = next(parser);
            if (value == JsonToken.VALUE_NULL) {
                throw error(parser, "'services' declares no services");
            }
            if (value != JsonToken.START_OBJECT) {
                throw error(parser, "'services' must be a mapping from service name to its fields, found "
                        + describe(parser));
            }
            JsonLocation servicesLocation = parser.currentTokenLocation();
            while (next(parser) == JsonToken.FIELD_NAME) {
                String service = parser.currentName();
                if (service == null || service.isBlank()) {
                    throw error(parser, "a service name must not be blank");
                }
                if (!service.equals(service.strip())) {
                    throw error(parser, "service name '" + service + "' has leading or trailing spaces");
                }
                services.put(service, readService(parser, service));
                where = "in 'services'";
            }
            if (services.isEmpty()) {
                throw error(servicesLocation, "'services' declares no services");
            }
        }

        private TopologyEntry readService(YAMLParser parser, String service) throws IOException {
            where = "in service '" + service + "'";
            TopologyEntry.Builder entry = TopologyEntry.newBuilder().setService(service);
            JsonToken value = next(parser);
            if (value == JsonToken.VALUE_NULL) {
                return entry.build();
            }
            if (value != JsonToken.START_OBJECT) {
                throw error(parser, "service '" + service + "' must be a mapping of its fields ("
                        + String.join(", ", FIELDS) + "), found " + describe(parser));
            }
            while (next(parser) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                switch (field) {
                    case "layer" -> entry.setLayer(readLayer(parser, service));
                    case "owner" -> entry.setOwner(readOptionalScalar(parser, service, field));
                    case "criticality" -> entry.setCriticality(readOptionalScalar(parser, service, field));
                    case "environment" -> entry.setEnvironment(readOptionalScalar(parser, service, field));
                    case "dependsOn" -> entry.setDependencies(readDependencies(parser, service));
                    case "tags" -> entry.setTags(readTags(parser, service));
                    default -> throw error(parser, "unknown field '" + field + "' in service '" + service
                            + "' (known: " + String.join(", ", FIELDS) + ")");
                }
                where = "in service '" + service + "'";
            }
            return entry.build();
        }

        private Layer readLayer(YAMLParser parser, String service) throws IOException {
            String text = readOptionalScalar(parser, service, "layer");
            if (text == null) {
                return Layer.UNKNOWN;
            }
            String normalized = text.strip().toLowerCase(Locale.ROOT);
            if (!LAYERS.contains(normalized)) {
                throw error(parser, "unknown layer '" + text + "' in service '" + service + "' (allowed: "
                        + String.join(", ", LAYERS) + ")");
            }
            return Layer.valueOf(normalized.toUpperCase(Locale.ROOT));
        }

        private String readOptionalScalar(YAMLParser parser, String service, String field) throws IOException {
            JsonToken value = next(parser);
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (!isScalar(value)) {
                throw error(parser, "field '" + field + "' in service '" + service + "' must be a single value, found "
                        + describe(parser));
            }
            return parser.getText();
        }

        private List<String> readDependencies(YAMLParser parser, String service) throws IOException {
            where = "in dependsOn of service '" + service + "'";
            JsonToken value = next(parser);
            if (value == JsonToken.VALUE_NULL) {
                return new ArrayList<>();
            }
            if (value != JsonToken.START_ARRAY) {
                throw error(parser, "dependsOn in service '" + service + "' must be a list such as [inventory, "
                        + "orders-db], found " + describe(parser));
            }
            Set<String> targets = new LinkedHashSet<>();
            JsonToken item;
            while ((item = next(parser)) != JsonToken.END_ARRAY) {
                if (item == JsonToken.VALUE_NULL || !isScalar(item) || parser.getText().isBlank()) {
                    throw error(parser, "dependsOn in service '" + service + "' must list service names, found "
                            + describe(parser));
                }
                String target = parser.getText().strip();
                JsonLocation at = parser.currentTokenLocation();
                if (target.equals(service)) {
                    throw error(parser, "service '" + service + "' depends on itself");
                }
                if (!targets.add(target)) {
                    warnings.add(TopologyException.position(source, at.getLineNr(), at.getColumnNr())
                            + "service '" + service + "' lists dependency '" + target + "' more than once");
                    continue;
                }
                dependencies.add(new Dependency(service, target, at.getLineNr(), at.getColumnNr()));
            }
            return new ArrayList<>(targets);
        }

        private Map<String, String> readTags(YAMLParser parser, String service) throws IOException {
            where = "in tags of service '" + service + "'";
            JsonToken value = next(parser);
            if (value == JsonToken.VALUE_NULL) {
                return new LinkedHashMap<>();
            }
            if (value != JsonToken.START_OBJECT) {
                throw error(parser, "tags in service '" + service + "' must be a mapping of name: value, found "
                        + describe(parser));
            }
            Map<String, String> tags = new LinkedHashMap<>();
            while (next(parser) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken tagValue = next(parser);
                if (tagValue == JsonToken.VALUE_NULL) {
                    throw error(parser, "tag '" + name + "' in service '" + service + "' has no value");
                }
                if (!isScalar(tagValue)) {
                    throw error(parser, "tag '" + name + "' in service '" + service + "' must be a single value, found "
                            + describe(parser));
                }
                String text = parser.getText();
                if (name.equalsIgnoreCase(AUTO_REMEDIATE_TAG)
                        && !BOOLEAN_WORDS.contains(text.strip().toLowerCase(Locale.ROOT))) {
                    // A typo here must not silently leave remediation switched on.
                    throw error(parser, "tag '" + name + "' in service '" + service + "' has value '" + text
                            + "' (allowed: " + String.join(", ", BOOLEAN_WORDS) + ")");
                }
                if (name.equalsIgnoreCase(MaintenanceTag.TAG)) {
                    try {
                        text = MaintenanceTag.normalize(text);
                    } catch (IllegalArgumentException e) {
                        // An unreadable window would make the worker refuse every action on the service.
                        throw error(parser, "tag '" + name + "' in service '" + service + "': " + e.getMessage());
                    }
                    if (tags.containsKey(MaintenanceTag.TAG)) {
                        throw error(parser, "service '" + service + "' declares the maintenance tag twice");
                    }
                    name = MaintenanceTag.TAG;
                }
                tags.put(name, text);
            }
            return tags;
        }

        private JsonToken next(YAMLParser parser) throws IOException {
            JsonToken token = parser.nextToken();
            if (token != null && parser.isCurrentAlias()) {
                throw error(parser, "YAML aliases (*" + parser.getText() + ") are not supported " + where
                        + "; write the values out");
            }
            return token;
        }

        TopologyException syntaxError(JsonProcessingException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                    Mark mark = marked.getProblemMark();
                    String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
                    return new TopologyException(source, mark.getLine() + 1, mark.getColumn() + 1,
                            "malformed YAML: " + context + marked.getProblem(), e);
                }
            }
            JsonLocation at = e.getLocation();
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field ")) {
                message = "duplicate key " + message.substring("Duplicate field ".length()) + " " + where
                        + " (each service, field and tag may appear once)";
            } else {
                message = "malformed YAML: " + message;
            }
            return new TopologyException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    message, e);
        }

        private TopologyException error(JsonParser parser, String reason) {
            return error(parser.currentTokenLocation(), reason);
        }

        private TopologyException error(JsonLocation at, String reason) {
            return new TopologyException(source, at.getLineNr(), at.getColumnNr(), reason);
        }

        private static boolean isScalar(JsonToken token) {
            return token != null && token.isScalarValue() && token != JsonToken.VALUE_NULL
                    && token != JsonToken.VALUE_EMBEDDED_OBJECT;
        }

        private static String describe(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == null) {
                return "nothing";
            }
            return switch (token) {
                case START_OBJECT -> "a mapping";
                case START_ARRAY -> "a list";
                case VALUE_NULL -> "an empty value";
                case VALUE_STRING -> "'" + parser.getText() + "'";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> parser.getText();
                default -> token.name().toLowerCase(Locale.ROOT);
            };
        }
    }

    private record Dependency(String service, String target, int line, int column) {
    }

    @Override
    public String toString() {
        return "TopologyFile[" + (source == null ? "" : source + ", ") + entries.stream().map(TopologyEntry::getService)
                .collect(Collectors.joining(", ", "services: ", "")) + "]";
    }
}
