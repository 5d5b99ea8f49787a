package io.autonomic.act.guard;

import java.time.Instant;
import java.util.Objects;

/**
 * What a guard may consult besides the command: the worker's current time (one instant for the whole evaluation
 * of a command) and the per-resource history.
 */
public record GuardContext(Instant now, ResourceHistory history) {

    public GuardContext {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(history, "history");
    }
}
