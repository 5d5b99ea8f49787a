package io.autonomic.schemas;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A typed command-line option: {@code --name value} or {@code --name=value}. Declared once as a constant next
 * to the code that reads it, documented by its description, and parsed with an error that names it.
 */
public final class Option<T> {

    private final String name;
    private final Class<?> type;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final String description;

    private Option(String name, Class<?> type, Function<String, T> parser, T defaultValue, String description) {
        this.name = requireName(name);
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.startsWith("-")) {
            throw new IllegalArgumentException("option name must be non-blank and without leading dashes: " + name);
        }
        return name;
    }

    public static Option<String> string(String name, String defaultValue, String description) {
        return new Option<>(name, String.class, s -> s, defaultValue, description);
    }

    public static Option<Integer> integer(String name, Integer defaultValue, String description) {
        return new Option<>(name, Integer.class, Integer::parseInt, defaultValue, description);
    }

    public static Option<Double> decimal(String name, Double defaultValue, String description) {
        return new Option<>(name, Double.class, Double::parseDouble, defaultValue, description);
    }

    public static Option<Boolean> bool(String name, Boolean defaultValue, String description) {
        return new Option<>(name, Boolean.class, Option::parseBoolean, defaultValue, description);
    }

    public static Option<Duration> duration(String name, Duration defaultValue, String description) {
        return new Option<>(name, Duration.class, Option::parseDuration, defaultValue, description);
    }

    public static Option<Path> path(String name, Path defaultValue, String description) {
        return new Option<>(name, Path.class, Path::of, defaultValue, description);
    }

    public static <E extends Enum<E>> Option<E> enumeration(String name, Class<E> type, E defaultValue, String description) {
        return new Option<>(name, type, s -> Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT).replace('-', '_')),
                defaultValue, description);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** Parses a raw value; a bad value fails with a message naming this option and what it expects. */
    public T parse(String raw) {
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new OptionException("--" + name + ": cannot read '" + raw + "' as " + describeType()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    private String describeType() {
        if (type.isEnum()) {
            StringBuilder values = new StringBuilder("one of");
            for (Object constant : type.getEnumConstants()) {
                values.append(' ').append(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            return values.toString();
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 10s, 5m, 1h or PT10S";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    static boolean parseBoolean(String raw) {
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> {
                return true;
            }
            case "false", "no", "off", "0" -> {
                return false;
            }
            default -> throw new IllegalArgumentException("expected true or false");
        }
    }

    /** Reads {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or an ISO-8601 duration. */
    public static Duration parseDuration(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            return Duration.parse(s.toUpperCase(Locale.ROOT));
        }
        int split = 0;
        while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.')) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("no number");
        }
        double amount = Double.parseDouble(s.substring(0, split));
        String unit = s.substring(split).trim();
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s", "" -> amount * 1_000;
            case "m", "min" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            case "d" -> amount * 86_400_000;
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
        };
        if (millis < 0) {
            throw new IllegalArgumentException("negative duration");
        }
        return Duration.ofMillis(Math.round(millis));
    }

    @Override
    public String toString() {
        return "--" + name;
    }
}
