package io.autonomic.enrich;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The topology tag {@value #TAG}: maintenance windows in which the worker starts no action on the service, written
 * {@code START/DURATION[,START/DURATION…]} with an ISO-8601 start that names its offset and an ISO-8601 duration,
 * e.g. {@code 2026-12-01T02:00Z/PT2H}. Windows are one-off on purpose: a recurring schedule would need a time zone
 * and a calendar, and the publisher re-runs whenever the topology changes anyway.
 *
 * <p>The topology file normalizes the tag so every consumer reads one form: key {@value #TAG} in lower case,
 * value with each start in UTC ({@link Instant#toString()}) and the duration as {@link Duration#toString()}, sorted
 * by start; act's maintenance guard parses exactly this form.
 */
public final class MaintenanceTag {

    public static final String TAG = "maintenance";

    private MaintenanceTag() {
    }

    /** A window's start and length. */
    public record Window(Instant start, Duration duration) {

        public Instant end() {
            return start.plus(duration);
        }

        public boolean covers(Instant instant) {
            return !instant.isBefore(start) && instant.isBefore(end());
        }

        @Override
        public String toString() {
            return start + "/" + duration;
        }
    }

    /**
     * Parses a tag value.
     *
     * @throws IllegalArgumentException naming the part that is not {@code START/DURATION} or whose duration is not
     *     positive
     */
    public static List<Window> parse(String value) {
        List<Window> windows = new ArrayList<>();
        for (String part : value.split(",")) {
            String text = part.strip();
            if (text.isEmpty()) {
                continue;
            }
            int slash = text.indexOf('/');
            if (slash <= 0 || slash == text.length() - 1) {
                throw new IllegalArgumentException("maintenance window '" + text
                        + "' is not START/DURATION, e.g. 2026-12-01T02:00Z/PT2H");
            }
            Instant start;
            Duration duration;
            try {
                start = OffsetDateTime.parse(text.substring(0, slash).strip()).toInstant();
                duration = Duration.parse(text.substring(slash + 1).strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("maintenance window '" + text
                        + "' is not START/DURATION with an offset in START, e.g. 2026-12-01T02:00Z/PT2H");
            }
            if (duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("maintenance window '" + text + "' must last a positive time");
            }
            windows.add(new Window(start, duration));
        }
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("maintenance tag declares no window");
        }
        windows.sort(Comparator.comparing(Window::start));
        return windows;
    }

    /** The normalized value: UTC starts, ISO durations, sorted by start, comma-separated. */
    public static String normalize(String value) {
        return parse(value).stream().map(Window::toString).collect(Collectors.joining(","));
    }
}
