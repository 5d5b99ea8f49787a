package io.autonomic.detect.config;

import io.autonomic.schemas.yaml.YamlTree;
import io.autonomic.schemas.yaml.YamlTree.Entry;
import io.autonomic.schemas.yaml.YamlTree.ListNode;
import io.autonomic.schemas.yaml.YamlTree.MapNode;
import io.autonomic.schemas.yaml.YamlTree.Node;
import io.autonomic.schemas.yaml.YamlTree.ScalarNode;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Turns the located YAML tree into a {@link DetectConfig}, failing on the first problem with its line and field. */
final class ConfigReader {

    private static final YamlTree.Errors YAML_ERRORS = new YamlTree.Errors() {
        @Override
        public RuntimeException at(String source, int line, String field, String message) {
            return new DetectConfigException(source, line, field, message);
        }

        @Override
        public RuntimeException unreadable(String source, String message, Throwable cause) {
            return new DetectConfigException(source, message, cause);
        }
    };

    private static final List<String> TOP_FIELDS = List.of("rules", "playbooks", "incident", "detector");
    private static final List<String> RULE_FIELDS =
            List.of("name", "metric", "above", "below", "for", "incidentType", "match");
    private static final List<String> PLAYBOOK_FIELDS =
            List.of("name", "incidentType", "resourceKind", "action", "mode", "verifyWithin", "expiresAfter",
                    "parameters");
    private static final List<String> INCIDENT_FIELDS =
            List.of("groupWindow", "recoveryPeriod", "minConfidence", "maxEvidence", "correlate", "correlationWindow",
                    "maxHops", "maxMembers");
    private static final List<String> DETECTOR_FIELDS = List.of("enabled", "warmup", "threshold", "alpha",
            "scaleAlpha", "absoluteFloor", "relativeFloor", "anomalyWeight", "seasonalBuckets", "seasonalDays",
            "seasonalAlpha", "levelShiftThreshold", "varianceRatio", "trendThreshold", "weeklyProfile", "maxGapPoints",
            "exhaustionForecast");

    private final String source;

    ConfigReader(String source) {
        this.source = source;
    }

    DetectConfig read(String yaml) {
        Node root = YamlTree.read(yaml, source, YAML_ERRORS);
        Fields top = fields(root, "", TOP_FIELDS);
        List<ThresholdRule> rules = readRules(top);
        List<Playbook> playbooks = readPlaybooks(top);
        IncidentSettings incident = readIncident(top);
        DetectorSettings detector = readDetector(top);
        return new DetectConfig(rules, playbooks, incident, detector);
    }

    private List<ThresholdRule> readRules(Fields top) {
        List<ThresholdRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Node> items = top.list("rules");
        for (int i = 0; i < items.size(); i++) {
            Fields rule = fields(items.get(i), "rules[" + i + "]", RULE_FIELDS);
            String name = rule.requiredString("name");
            if (!names.add(name)) {
                throw rule.error("name", "duplicate rule name '" + name + "'");
            }
            Double above = rule.decimal("above", null);
            Double below = rule.decimal("below", null);
            if (above == null && below == null) {
                throw rule.error("", "set one of 'above' or 'below'");
            }
            if (above != null && below != null) {
                throw rule.error("below", "set only one of 'above' or 'below'; use two rules for a band");
            }
            rules.add(new ThresholdRule(name, rule.requiredString("metric"), above, below,
                    rule.duration("for", Duration.ZERO), rule.requiredString("incidentType"), rule.stringMap("match")));
        }
        return rules;
    }

    private List<Playbook> readPlaybooks(Fields top) {
        List<Playbook> playbooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Node> items = top.list("playbooks");
        for (int i = 0; i < items.size(); i++) {
            Fields playbook = fields(items.get(i), "playbooks[" + i + "]", PLAYBOOK_FIELDS);
            String name = playbook.requiredString("name");
            if (!names.add(name)) {
                throw playbook.error("name", "duplicate playbook name '" + name + "'");
            }
            Map<String, String> parameters = playbook.stringMap("parameters");
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                try {
                    ParameterTemplates.validate(parameter.getValue());
                } catch (IllegalArgumentException e) {
                    throw playbook.nestedError("parameters", parameter.getKey(), e.getMessage());
                }
            }
            playbooks.add(new Playbook(name, playbook.requiredString("incidentType"),
                    playbook.requiredString("action"), playbook.value("mode", ExecutionMode.DRY_RUN,
                            "one of execute, dry-run, needs-approval", ConfigReader::parseMode),
                    playbook.positiveDuration("verifyWithin", Playbook.DEFAULT_VERIFY_WITHIN),
                    playbook.positiveDuration("expiresAfter", Playbook.DEFAULT_EXPIRES_AFTER), parameters,
                    playbook.value("resourceKind", null, "a resource kind such as HOST_PROCESS or ECS_SERVICE",
                            ConfigReader::parseKind)));
        }
        return playbooks;
    }

    private IncidentSettings readIncident(Fields top) {
        IncidentSettings d = IncidentSettings.DEFAULTS;
        Fields incident = top.object("incident", INCIDENT_FIELDS);
        if (incident == null) {
            return d;
        }
        double minConfidence = incident.decimal("minConfidence", d.minConfidence());
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw incident.error("minConfidence", "must be within [0, 1], was " + minConfidence);
        }
        int maxEvidence = incident.integer("maxEvidence", d.maxEvidence());
        if (maxEvidence < 1) {
            throw incident.error("maxEvidence", "must be at least 1, was " + maxEvidence);
        }
        boolean correlate = incident.value("correlate", d.correlate(), "true or false", ConfigReader::parseBoolean);
        Duration correlationWindow = incident.duration("correlationWindow", d.correlationWindow());
        if (correlationWindow.isNegative()) {
            throw incident.error("correlationWindow", "must not be negative, was " + correlationWindow);
        }
        int maxHops = incident.integer("maxHops", d.maxHops());
        if (maxHops < 1) {
            throw incident.error("maxHops", "must be at least 1, was " + maxHops);
        }
        int maxMembers = incident.integer("maxMembers", d.maxMembers());
        if (maxMembers < 1) {
            throw incident.error("maxMembers", "must be at least 1, was " + maxMembers);
        }
        return new IncidentSettings(incident.positiveDuration("groupWindow", d.groupWindow()),
                incident.positiveDuration("recoveryPeriod", d.recoveryPeriod()), minConfidence, maxEvidence,
                correlate, correlationWindow, maxHops, maxMembers);
    }

    private DetectorSettings readDetector(Fields top) {
        DetectorSettings d = DetectorSettings.DEFAULTS;
        Fields detector = top.object("detector", DETECTOR_FIELDS);
        if (detector == null) {
            return d;
        }
        boolean enabled = detector.value("enabled", d.enabled(), "true or false", ConfigReader::parseBoolean);
        int warmup = detector.integer("warmup", d.warmup());
        double threshold = detector.decimal("threshold", d.threshold());
        double alpha = detector.decimal("alpha", d.alpha());
        double scaleAlpha = detector.decimal("scaleAlpha", d.scaleAlpha());
        double absoluteFloor = detector.decimal("absoluteFloor", d.absoluteFloor());
        double relativeFloor = detector.decimal("relativeFloor", d.relativeFloor());
        double anomalyWeight = detector.decimal("anomalyWeight", d.anomalyWeight());
        int seasonalBuckets = detector.integer("seasonalBuckets", d.seasonalBuckets());
        double seasonalDays = detector.decimal("seasonalDays", d.seasonalDays());
        double seasonalAlpha = detector.decimal("seasonalAlpha", d.seasonalAlpha());
        double levelShiftThreshold = detector.decimal("levelShiftThreshold", d.levelShiftThreshold());
        double varianceRatio = detector.decimal("varianceRatio", d.varianceRatio());
        double trendThreshold = detector.decimal("trendThreshold", d.trendThreshold());
        boolean weeklyProfile = detector.value("weeklyProfile", d.weeklyProfile(), "true or false",
                ConfigReader::parseBoolean);
        double maxGapPoints = detector.decimal("maxGapPoints", d.maxGapPoints());
        boolean exhaustionForecast = detector.value("exhaustionForecast", d.exhaustionForecast(), "true or false",
                ConfigReader::parseBoolean);
        try {
            return new DetectorSettings(enabled, warmup, threshold, alpha, scaleAlpha, absoluteFloor, relativeFloor,
                    anomalyWeight, seasonalBuckets, seasonalDays, seasonalAlpha, levelShiftThreshold, varianceRatio,
                    trendThreshold, weeklyProfile, maxGapPoints, exhaustionForecast);
        } catch (IllegalArgumentException e) {
            // DetectorSettings messages start with the offending field's name
            String first = e.getMessage().split(" ", 2)[0];
            throw detector.error(DETECTOR_FIELDS.contains(first) ? first : "", e.getMessage());
        }
    }

    private static boolean parseBoolean(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static ResourceKind parseKind(String raw) {
        return ResourceKind.valueOf(raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static ExecutionMode parseMode(String raw) {
        return ExecutionMode.valueOf(raw.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private Fields fields(Node node, String path, List<String> known) {
        if (!(node instanceof MapNode map)) {
            throw new DetectConfigException(source, node.line(), path, "expected a mapping, found " + node.describe());
        }
        for (Entry entry : map.entries().values()) {
            if (!known.contains(entry.key())) {
                throw new DetectConfigException(source, entry.line(), join(path, entry.key()),
                        "unknown field; known fields: " + String.join(", ", known));
            }
        }
        return new Fields(map, path);
    }

    private static String join(String path, String field) {
        if (field.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? field : path + "." + field;
    }

    /** The fields of one mapping, read with errors that name their line and path. */
    private final class Fields {
        private final MapNode map;
        private final String path;

        Fields(MapNode map, String path) {
            this.map = map;
            this.path = path;
        }

        DetectConfigException error(String field, String message) {
            Entry entry = map.entries().get(field);
            int line = entry == null ? map.line() : entry.value().line();
            return new DetectConfigException(source, line, join(path, field), message);
        }

        DetectConfigException nestedError(String field, String key, String message) {
            Node node = map.entries().get(field).value();
            int line = node instanceof MapNode nested && nested.entries().containsKey(key)
                    ? nested.entries().get(key).line() : node.line();
            return new DetectConfigException(source, line, join(join(path, field), key), message);
        }

        private Node node(String field) {
            Entry entry = map.entries().get(field);
            if (entry == null || entry.value() instanceof ScalarNode scalar && scalar.text() == null) {
                return null;
            }
            return entry.value();
        }

        private String scalar(String field) {
            Node node = node(field);
            if (node == null) {
                return null;
            }
            if (!(node instanceof ScalarNode scalar)) {
                throw error(field, "expected a single value, found " + node.describe());
            }
            return scalar.text();
        }

        String requiredString(String field) {
            String value = scalar(field);
            if (value == null || value.isBlank()) {
                throw error(field, "is required");
            }
            return value.trim();
        }

        <T> T value(String field, T defaultValue, String expected, Function<String, T> parser) {
            String raw = scalar(field);
            if (raw == null) {
                return defaultValue;
            }
            try {
                return parser.apply(raw.trim());
            } catch (RuntimeException e) {
                throw error(field, "cannot read '" + raw + "' as " + expected
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            }
        }

        Double decimal(String field, Double defaultValue) {
            Double value = value(field, defaultValue, "a number", Double::parseDouble);
            if (value != null && !Double.isFinite(value)) {
                throw error(field, "must be a finite number");
            }
            return value;
        }

        int integer(String field, int defaultValue) {
            return value(field, defaultValue, "a whole number", Integer::parseInt);
        }

        Duration duration(String field, Duration defaultValue) {
            return value(field, defaultValue, "a duration such as 500ms, 10s, 5m or 1h", Option::parseDuration);
        }

        Duration positiveDuration(String field, Duration defaultValue) {
            Duration value = duration(field, defaultValue);
            if (value.isZero() || value.isNegative()) {
                throw error(field, "must be a positive duration");
            }
            return value;
        }

        List<Node> list(String field) {
            Node node = node(field);
            if (node == null) {
                return List.of();
            }
            if (!(node instanceof ListNode list)) {
                throw error(field, "expected a list, found " + node.describe());
            }
            return list.items();
        }

        Fields object(String field, List<String> known) {
            Node node = node(field);
            return node == null ? null : fields(node, join(path, field), known);
        }

        Map<String, String> stringMap(String field) {
            Node node = node(field);
            if (node == null) {
                return Map.of();
            }
            if (!(node instanceof MapNode nested)) {
                throw error(field, "expected a mapping of names to values, found " + node.describe());
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Entry entry : nested.entries().values()) {
                if (!(entry.value() instanceof ScalarNode scalar) || scalar.text() == null) {
                    throw new DetectConfigException(source, entry.line(), join(join(path, field), entry.key()),
                            "expected a single value, found " + entry.value().describe());
                }
                values.put(entry.key(), scalar.text());
            }
            return values;
        }
    }
}
