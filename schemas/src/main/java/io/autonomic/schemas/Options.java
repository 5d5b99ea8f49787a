package io.autonomic.schemas;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Parsed option values. Only declared options are accepted (a typo fails fast and names the unknown option);
 * options under a declared prefix such as {@code topic.} are collected as a map, e.g.
 * {@code --topic.commands=prod.commands}.
 */
public final class Options {

    private final Map<String, String> values;
    private final Map<String, Option<?>> declared;

    private Options(Map<String, String> values, Map<String, Option<?>> declared) {
        this.values = values;
        this.declared = declared;
    }

    public static Options parse(String[] args, Collection<Option<?>> options, Collection<String> prefixes) {
        Map<String, Option<?>> declared = new LinkedHashMap<>();
        for (Option<?> option : options) {
            declared.put(option.name(), option);
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new OptionException("unexpected argument '" + arg + "': options look like --name value");
            }
            String body = arg.substring(2);
            String name;
            String value;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else {
                name = body;
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new OptionException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            boolean prefixed = prefixes.stream().anyMatch(name::startsWith);
            if (!prefixed && !declared.containsKey(name)) {
                throw new OptionException("unknown option --" + name + "; known options: "
                        + declared.keySet().stream().map(n -> "--" + n).toList()
                        + (prefixes.isEmpty() ? "" : " and " + prefixes.stream().map(p -> "--" + p + "<id>").toList()));
            }
            values.put(name, value);
        }
        Options parsed = new Options(values, declared);
        for (Option<?> option : options) {
            parsed.get(option); // every value parses now, not on first use
        }
        return parsed;
    }

    public static Options parse(String[] args, Collection<Option<?>> options) {
        return parse(args, options, List.of());
    }

    public static Options of(Map<String, String> values, Collection<Option<?>> options) {
        return parse(values.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new),
                options, List.of("topic."));
    }

    public <T> T get(Option<T> option) {
        Objects.requireNonNull(option, "option");
        String raw = values.get(option.name());
        return raw == null ? option.defaultValue() : option.parse(raw);
    }

    /** A required option: fails naming it when neither given nor defaulted. */
    public <T> T require(Option<T> option) {
        T value = get(option);
        if (value == null) {
            throw new OptionException("--" + option.name() + " is required: " + option.description());
        }
        return value;
    }

    /** Options given under {@code prefix}, keyed by what follows the prefix. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                result.put(name.substring(prefix.length()), value);
            }
        });
        return result;
    }

    /** A usage text listing every declared option with its default and description. */
    public static String usage(Collection<Option<?>> options) {
        StringBuilder text = new StringBuilder();
        for (Option<?> option : options) {
            text.append(String.format("  --%-28s %s%s%n", option.name(), option.description(),
                    option.defaultValue() == null ? "" : " (default: " + option.defaultValue() + ")"));
        }
        return text.toString();
    }

    Map<String, Option<?>> declared() {
        return declared;
    }
}
