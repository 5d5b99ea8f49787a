package io.autonomic.act;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one execution.
 *
 * @param success whether the action did what it was asked to
 * @param detail a short human-readable account, written to the audit trail
 * @param attributes machine-readable facts, e.g. {@code filesRemoved=3}; written to the audit trail
 */
public record ActionResult(boolean success, String detail, Map<String, String> attributes) {

    public ActionResult {
        detail = detail == null ? "" : detail;
        // insertion order is kept so the audit file reads in the order the executor reported
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static ActionResult success(String detail) {
        return new ActionResult(true, detail, Map.of());
    }

    public static ActionResult success(String detail, Map<String, String> attributes) {
        return new ActionResult(true, detail, attributes);
    }

    public static ActionResult failure(String detail) {
        return new ActionResult(false, Objects.requireNonNull(detail, "detail"), Map.of());
    }

    public static ActionResult failure(String detail, Map<String, String> attributes) {
        return new ActionResult(false, Objects.requireNonNull(detail, "detail"), attributes);
    }
}
