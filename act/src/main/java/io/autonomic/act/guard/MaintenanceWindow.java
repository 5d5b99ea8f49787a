package io.autonomic.act.guard;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A planned maintenance period, written {@code START/DURATION} in ISO-8601, e.g. {@code 2026-11-23T10:00Z/PT2H}.
 * Several are separated by commas.
 */
public record MaintenanceWindow(Instant start, Duration duration) {

    public MaintenanceWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("maintenance window duration must be positive, was " + duration);
        }
    }

    public Instant end() {
        return start.plus(duration);
    }

    public boolean covers(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end());
    }

    /** Parses {@code START/DURATION[,START/DURATION…]}; a malformed entry fails naming it. */
    public static List<MaintenanceWindow> parseList(String text) {
        List<MaintenanceWindow> windows = new ArrayList<>();
        if (text == null) {
            return windows;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                windows.add(parse(part.trim()));
            }
        }
        return windows;
    }

    public static MaintenanceWindow parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("maintenance window '" + text
                    + "' is not START/DURATION, e.g. 2026-11-23T10:00Z/PT2H");
        }
        try {
            Instant start = OffsetDateTime.parse(text.substring(0, slash)).toInstant();
            Duration duration = Duration.parse(text.substring(slash + 1));
            return new MaintenanceWindow(start, duration);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("maintenance window '" + text
                    + "' is not START/DURATION, e.g. 2026-11-23T10:00Z/PT2H: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return start + "/" + duration;
    }
}
