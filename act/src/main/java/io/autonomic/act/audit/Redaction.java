package io.autonomic.act.audit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps secrets out of everything the worker writes down (audit trail, ledger, escalations): a value whose name
 * contains {@code secret}, {@code token}, {@code password} or {@code key} is replaced by {@value #REDACTED}.
 * Deliberately broad: a needlessly hidden value costs little, a leaked credential a lot.
 */
public final class Redaction {

    public static final String REDACTED = "***";
    private static final String[] SECRET_WORDS = {"secret", "token", "password", "key"};

    private Redaction() {
    }

    public static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** A copy with secret-named values replaced, in the original order. */
    public static Map<String, String> redact(Map<String, String> values) {
        Map<String, String> safe = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((name, value) -> safe.put(name, isSecret(name) ? REDACTED : value));
        }
        return safe;
    }
}
