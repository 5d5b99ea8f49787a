package io.autonomic.act.playbook;

import io.autonomic.act.playbook.Playbook.BlastRadius;
import io.autonomic.act.playbook.Playbook.OnFailure;
import io.autonomic.act.playbook.Playbook.Step;
import io.autonomic.act.playbook.Playbook.SuccessCriterion;
import io.autonomic.act.playbook.Playbook.Trigger;
import io.autonomic.schemas.yaml.YamlTree;
import io.autonomic.schemas.yaml.YamlTree.Entry;
import io.autonomic.schemas.yaml.YamlTree.ListNode;
import io.autonomic.schemas.yaml.YamlTree.MapNode;
import io.autonomic.schemas.yaml.YamlTree.Node;
import io.autonomic.schemas.yaml.YamlTree.ScalarNode;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The playbooks the worker may run, loaded once and validated with errors that name file and line.
 *
 * <pre>
 * playbooks:
 *   - name: restart-on-5xx
 *     layer: application              # infrastructure | platform | application | data | network
 *     enabled: true
 *     mode: execute                   # execute | dry-run | needs-approval
 *     trigger: {incidentType: http-5xx, resourceKind: HOST_PROCESS, labels: {}}
 *     cooldown: 5m                    # optional; overrides the worker's --cooldown for this playbook
 *     maxAttempts: 3                  # optional; overrides --max-attempts-per-hour for this playbook
 *     blastRadius: {maxConcurrent: 5, perMinute: 10, maxServiceFraction: 0.25}
 *     escalation: [notify.slack]
 *     steps:
 *       - action: process.restart
 *         parameters: {}
 *         success: healthy
 *         verifyWithin: 60s
 *         onFailure: next            # next | escalate
 * </pre>
 */
public final class PlaybookCatalog {

    private static final YamlTree.Errors YAML_ERRORS = new YamlTree.Errors() {
        @Override
        public RuntimeException at(String source, int line, String field, String message) {
            return new PlaybookException(source, line, field, message);
        }

        @Override
        public RuntimeException unreadable(String source, String message, Throwable cause) {
            return new PlaybookException(source, message, cause);
        }
    };

    public static final String DEFAULT_RESOURCE = "/io/autonomic/act/playbook/default-playbooks.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(PlaybookCatalog.class);
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Set<String> PLAYBOOK_FIELDS = Set.of("name", "layer", "enabled", "mode", "trigger", "steps",
            "cooldown", "maxAttempts", "blastRadius", "escalation");
    private static final Set<String> STEP_FIELDS = Set.of("action", "parameters", "success", "verifyWithin", "onFailure");
    private static final Set<String> TRIGGER_FIELDS = Set.of("incidentType", "resourceKind", "labels");
    private static final Set<String> BLAST_FIELDS = Set.of("maxConcurrent", "perMinute", "maxServiceFraction");

    private final Map<String, Playbook> byName;
    private final List<String> warnings;

    private PlaybookCatalog(Map<String, Playbook> byName, List<String> warnings) {
        this.byName = Map.copyOf(byName);
        this.warnings = List.copyOf(warnings);
    }

    /** The shipped playbooks covering the seed failure families. */
    public static PlaybookCatalog defaults(Collection<String> knownActions, boolean strict) {
        try (InputStream in = PlaybookCatalog.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-playbooks.yaml",
                    knownActions, strict);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /** Loads a playbook file. */
    public static PlaybookCatalog load(Path file, Collection<String> knownActions, boolean strict) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PlaybookException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString(), knownActions, strict);
    }

    /**
     * Parses playbook YAML.
     *
     * @param knownActions the actions some executor provides; a step naming another is an error when
     *     {@code strict}, else a warning ({@link #warnings()})
     */
    public static PlaybookCatalog parse(String text, String source, Collection<String> knownActions, boolean strict) {
        Node root = YamlTree.read(text, source, YAML_ERRORS);
        MapNode top = map(root, source, "");
        unknownFields(top, Set.of("playbooks"), source);
        Entry list = top.entries().get("playbooks");
        if (list == null) {
            throw new PlaybookException(source, root.line(), "playbooks", "is required");
        }
        Set<String> known = new TreeSet<>(knownActions);
        Map<String, Playbook> byName = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Node item : list(list.value(), source, "playbooks").items()) {
            Playbook playbook = playbook(map(item, source, "playbooks[]"), source, known, strict, warnings);
            if (byName.putIfAbsent(playbook.name(), playbook) != null) {
                throw new PlaybookException(source, item.line(), "name", "duplicate playbook '" + playbook.name()
                        + "'");
            }
        }
        if (!warnings.isEmpty()) {
            // one line, not one per step: a worker with only the process executor would otherwise flood its log
            LOG.warn("{}: {} playbook step(s) name actions no configured executor provides; commands for them will "
                    + "be rejected as unknown actions: {}", source, warnings.size(), warnings);
        }
        return new PlaybookCatalog(byName, warnings);
    }

    private static Playbook playbook(MapNode node, String source, Set<String> known, boolean strict,
            List<String> warnings) {
        unknownFields(node, PLAYBOOK_FIELDS, source);
        String name = name(required(node, "name", source), source, "name");
        Layer layer = enumValue(optional(node, "layer"), Layer.class, Layer.UNKNOWN, source, "layer");
        boolean enabled = bool(optional(node, "enabled"), true, source, "enabled");
        ExecutionMode mode = enumValue(optional(node, "mode"), ExecutionMode.class, ExecutionMode.DRY_RUN, source,
                "mode");
        Trigger trigger = trigger(map(required(node, "trigger", source).value(), source, "trigger"), source);
        // undeclared stays empty rather than defaulted, so the worker-wide guard settings apply to such playbooks
        Entry cooldownEntry = optional(node, "cooldown");
        Optional<Duration> cooldown = cooldownEntry == null ? Optional.empty()
                : Optional.of(duration(cooldownEntry, null, source, "cooldown"));
        Entry maxAttemptsEntry = optional(node, "maxAttempts");
        OptionalInt maxAttempts = maxAttemptsEntry == null ? OptionalInt.empty()
                : OptionalInt.of(positiveInt(maxAttemptsEntry, 0, source, "maxAttempts"));
        BlastRadius blast = blastRadius(optional(node, "blastRadius"), source);
        List<String> escalation = new ArrayList<>();
        Entry escalationEntry = optional(node, "escalation");
        if (escalationEntry != null) {
            for (Node target : list(escalationEntry.value(), source, "escalation").items()) {
                escalation.add(name(new Entry("escalation", target.line(), target), source, "escalation"));
            }
        }
        List<Step> steps = new ArrayList<>();
        Entry stepsEntry = required(node, "steps", source);
        ListNode stepList = list(stepsEntry.value(), source, "steps");
        if (stepList.items().isEmpty()) {
            throw new PlaybookException(source, stepsEntry.line(), "steps", "playbook '" + name
                    + "' needs at least one step");
        }
        for (Node item : stepList.items()) {
            Step step = step(map(item, source, "steps[]"), source);
            if (!known.isEmpty() && !known.contains(step.action())) {
                String message = "playbook '" + name + "': no executor provides action '" + step.action() + "'";
                if (strict) {
                    throw new PlaybookException(source, item.line(), "action", message + "; known: " + known);
                }
                warnings.add(source + ":" + item.line() + ": " + message);
            }
            steps.add(step);
        }
        return new Playbook(name, layer, enabled, mode, trigger, steps, cooldown, maxAttempts, blast, escalation,
                node.line());
    }

    private static Trigger trigger(MapNode node, String source) {
        unknownFields(node, TRIGGER_FIELDS, source);
        String incidentType = name(required(node, "incidentType", source), source, "trigger.incidentType");
        Entry kindEntry = optional(node, "resourceKind");
        ResourceKind kind = kindEntry == null ? null
                : enumValue(kindEntry, ResourceKind.class, null, source, "trigger.resourceKind");
        return new Trigger(incidentType, kind, stringMap(optional(node, "labels"), source, "trigger.labels"));
    }

    private static Step step(MapNode node, String source) {
        unknownFields(node, STEP_FIELDS, source);
        String action = name(required(node, "action", source), source, "action");
        Map<String, String> parameters = stringMap(optional(node, "parameters"), source, "parameters");
        SuccessCriterion success = enumValue(optional(node, "success"), SuccessCriterion.class,
                SuccessCriterion.HEALTHY, source, "success");
        Duration verifyWithin = duration(optional(node, "verifyWithin"), Duration.ofMinutes(2), source,
                "verifyWithin");
        OnFailure onFailure = enumValue(optional(node, "onFailure"), OnFailure.class, OnFailure.NEXT, source,
                "onFailure");
        return new Step(action, parameters, success, verifyWithin, onFailure);
    }

    private static BlastRadius blastRadius(Entry entry, String source) {
        if (entry == null) {
            return BlastRadius.DEFAULT;
        }
        MapNode node = map(entry.value(), source, "blastRadius");
        unknownFields(node, BLAST_FIELDS, source);
        int maxConcurrent = positiveInt(optional(node, "maxConcurrent"), BlastRadius.DEFAULT.maxConcurrent(), source,
                "blastRadius.maxConcurrent");
        int perMinute = positiveInt(optional(node, "perMinute"), BlastRadius.DEFAULT.perMinute(), source,
                "blastRadius.perMinute");
        Entry fractionEntry = optional(node, "maxServiceFraction");
        double fraction = BlastRadius.DEFAULT.maxServiceFraction();
        if (fractionEntry != null) {
            String text = scalar(fractionEntry, source);
            try {
                fraction = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                fraction = Double.NaN;
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new PlaybookException(source, fractionEntry.line(), "blastRadius.maxServiceFraction",
                        "must be a number in (0, 1], was '" + text + "'");
            }
        }
        return new BlastRadius(maxConcurrent, perMinute, fraction);
    }

    // --- node helpers -------------------------------------------------------------------------------------------

    private static MapNode map(Node node, String source, String field) {
        if (node instanceof MapNode map) {
            return map;
        }
        throw new PlaybookException(source, node.line(), field, "expected a mapping, found " + node.describe());
    }

    private static ListNode list(Node node, String source, String field) {
        if (node instanceof ListNode list) {
            return list;
        }
        throw new PlaybookException(source, node.line(), field, "expected a list, found " + node.describe());
    }

    private static void unknownFields(MapNode node, Set<String> allowed, String source) {
        for (Entry entry : node.entries().values()) {
            if (!allowed.contains(entry.key())) {
                throw new PlaybookException(source, entry.line(), entry.key(), "unknown field; expected one of "
                        + new TreeSet<>(allowed));
            }
        }
    }

    private static Entry required(MapNode node, String key, String source) {
        Entry entry = node.entries().get(key);
        if (entry == null) {
            throw new PlaybookException(source, node.line(), key, "is required");
        }
        return entry;
    }

    private static Entry optional(MapNode node, String key) {
        return node.entries().get(key);
    }

    private static String scalar(Entry entry, String source) {
        if (entry.value() instanceof ScalarNode scalar && scalar.text() != null) {
            return scalar.text();
        }
        throw new PlaybookException(source, entry.line(), entry.key(), "expected a value, found "
                + entry.value().describe());
    }

    private static String name(Entry entry, String source, String field) {
        String text = scalar(entry, source).trim();
        if (!NAME.matcher(text).matches()) {
            throw new PlaybookException(source, entry.line(), field, "'" + text
                    + "' is not a valid name ([a-z0-9._-], starting with a letter or digit)");
        }
        return text;
    }

    private static boolean bool(Entry entry, boolean defaultValue, String source, String field) {
        if (entry == null) {
            return defaultValue;
        }
        String text = scalar(entry, source).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new PlaybookException(source, entry.line(), field, "expected true or false, was '"
                    + text + "'");
        };
    }

    private static int positiveInt(Entry entry, int defaultValue, String source, String field) {
        if (entry == null) {
            return defaultValue;
        }
        String text = scalar(entry, source).trim();
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the field's line
        }
        throw new PlaybookException(source, entry.line(), field, "expected a positive integer, was '" + text + "'");
    }

    private static Duration duration(Entry entry, Duration defaultValue, String source, String field) {
        if (entry == null) {
            return defaultValue;
        }
        String text = scalar(entry, source).trim();
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new PlaybookException(source, entry.line(), field, "expected a duration like 30s, 5m or 1h, was '"
                    + text + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static <E extends Enum<E>> E enumValue(Entry entry, Class<E> type, E defaultValue, String source,
            String field) {
        if (entry == null) {
            return defaultValue;
        }
        String text = scalar(entry, source).trim();
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            throw new PlaybookException(source, entry.line(), field, "'" + text + "' is not one of " + allowed);
        }
    }

    private static Map<String, String> stringMap(Entry entry, String source, String field) {
        if (entry == null) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Entry item : map(entry.value(), source, field).entries().values()) {
            values.put(item.key(), scalar(item, source));
        }
        return Map.copyOf(values);
    }

    // --- queries ------------------------------------------------------------------------------------------------

    public Optional<Playbook> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Playbook> all() {
        return byName.values();
    }

    /** Problems that did not stop loading (actions no executor provides), also logged at load. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Why the command must not run under this catalog, or empty: its playbook must exist, be enabled and declare
     * the command's action. The reason is {@code unknown-playbook}, {@code playbook-disabled} or
     * {@code undeclared-action}.
     */
    public Optional<Refusal> refuse(RemediationCommand command) {
        Playbook playbook = byName.get(command.getPlaybook());
        if (playbook == null) {
            return Optional.of(new Refusal("unknown-playbook", "playbook '" + command.getPlaybook()
                    + "' is not in the worker's catalog " + new TreeSet<>(byName.keySet())));
        }
        if (!playbook.enabled()) {
            return Optional.of(new Refusal("playbook-disabled", "playbook '" + playbook.name() + "' is disabled"));
        }
        if (!playbook.declares(command.getAction())) {
            return Optional.of(new Refusal("undeclared-action", "playbook '" + playbook.name()
                    + "' does not declare action '" + command.getAction() + "'; its steps: "
                    + playbook.steps().stream().map(Step::action).toList()));
        }
        return Optional.empty();
    }

    /** Why a command was refused; {@code reason} is the dead-letter reason. */
    public record Refusal(String reason, String detail) {
    }
}
