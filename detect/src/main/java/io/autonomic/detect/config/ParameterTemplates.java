package io.autonomic.detect.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Playbook parameter templates: literal text with references {@code ${attr.NAME}} (a point attribute of the
 * evidence), {@code ${resource.id}} and {@code ${resource.service}}. References are checked when the configuration
 * loads, so at run time the only failure left is a value the evidence does not carry.
 */
public final class ParameterTemplates {

    public static final String ATTRIBUTE_PREFIX = "attr.";
    public static final String RESOURCE_ID = "resource.id";
    public static final String RESOURCE_SERVICE = "resource.service";

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

    private ParameterTemplates() {
    }

    /** The references of a template, in order; fails on an unknown or unterminated reference. */
    public static List<String> validate(String template) {
        List<String> references = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(template);
        StringBuilder rest = new StringBuilder();
        while (matcher.find()) {
            String reference = matcher.group(1).trim();
            boolean known = RESOURCE_ID.equals(reference) || RESOURCE_SERVICE.equals(reference)
                    || (reference.startsWith(ATTRIBUTE_PREFIX) && reference.length() > ATTRIBUTE_PREFIX.length());
            if (!known) {
                throw new IllegalArgumentException("unknown reference ${" + reference + "} in '" + template
                        + "'; use ${attr.NAME}, ${" + RESOURCE_ID + "} or ${" + RESOURCE_SERVICE + "}");
            }
            references.add(reference);
            matcher.appendReplacement(rest, "");
        }
        matcher.appendTail(rest);
        if (rest.indexOf("${") >= 0) {
            throw new IllegalArgumentException("unterminated reference in '" + template + "'");
        }
        return references;
    }

    /**
     * Replaces every reference with what {@code lookup} returns for it; empty when a reference has no value, with
     * the reason in {@code unresolved}.
     */
    public static Optional<String> resolve(String template, Function<String, Optional<String>> lookup,
            List<String> unresolved) {
        Matcher matcher = REFERENCE.matcher(template);
        StringBuilder resolved = new StringBuilder();
        boolean complete = true;
        while (matcher.find()) {
            String reference = matcher.group(1).trim();
            Optional<String> value = lookup.apply(reference);
            if (value.isEmpty()) {
                unresolved.add("${" + reference + "}");
                complete = false;
                matcher.appendReplacement(resolved, "");
            } else {
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(value.get()));
            }
        }
        matcher.appendTail(resolved);
        return complete ? Optional.of(resolved.toString()) : Optional.empty();
    }
}
