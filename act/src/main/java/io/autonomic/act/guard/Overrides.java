package io.autonomic.act.guard;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resources a human is working on: automation pauses on them until the override ends. Fed by
 * {@code override:<resourceId>} signals on the control topic ({@link ControlTopicListener}) and by
 * {@code POST /overrides} on the worker's control endpoint. Thread-safe.
 */
public final class Overrides {

    /** The control-signal name prefix; the rest of the name is the resource id. */
    public static final String SIGNAL_PREFIX = "override:";

    /** One active override. */
    public record Override(String resourceId, Instant until, String actor, String reason) {
    }

    private final Map<String, Override> byResource = new ConcurrentHashMap<>();

    public void set(String resourceId, Instant until, String actor, String reason) {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(until, "until");
        byResource.put(resourceId, new Override(resourceId, until, actor == null ? "unknown" : actor,
                reason == null ? "" : reason));
    }

    public void clear(String resourceId) {
        byResource.remove(resourceId);
    }

    /** The override in force on the resource at {@code now}, if any; ended ones are forgotten. */
    public Optional<Override> active(String resourceId, Instant now) {
        Override override = byResource.get(resourceId);
        if (override == null) {
            return Optional.empty();
        }
        if (!now.isBefore(override.until())) {
            byResource.remove(resourceId, override);
            return Optional.empty();
        }
        return Optional.of(override);
    }
}
