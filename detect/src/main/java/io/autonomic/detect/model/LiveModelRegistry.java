package io.autonomic.detect.model;

import io.autonomic.schemas.avro.ModelRelease;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The model families the live scoring knows, by family name. Releases of other families are ignored. */
public final class LiveModelRegistry implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, LiveModelFamily> families;
    private final List<LiveModelFamily> ordered;

    private LiveModelRegistry(Map<String, LiveModelFamily> families, List<LiveModelFamily> ordered) {
        this.families = families;
        this.ordered = ordered;
    }

    /** The families this module implements: {@link AnomalyModelFamily}. */
    public static LiveModelRegistry defaults() {
        return of(List.of(new AnomalyModelFamily()));
    }

    public static LiveModelRegistry of(List<LiveModelFamily> families) {
        Map<String, LiveModelFamily> byName = new LinkedHashMap<>();
        for (LiveModelFamily family : families) {
            Objects.requireNonNull(family, "family");
            if (byName.put(family.family(), family) != null) {
                throw new IllegalArgumentException("model family " + family.family() + " registered twice");
            }
        }
        return new LiveModelRegistry(Map.copyOf(byName), List.copyOf(byName.values()));
    }

    public Optional<LiveModelFamily> family(String name) {
        return Optional.ofNullable(families.get(name));
    }

    /** Registered families, in registration order (read per point: no copy). */
    public List<LiveModelFamily> families() {
        return ordered;
    }

    /**
     * The live model of a release.
     *
     * @throws IllegalArgumentException when no family is registered for the release or the family rejects it
     */
    public LiveModel load(ModelRelease release) {
        LiveModelFamily family = families.get(release.getFamily());
        if (family == null) {
            throw new IllegalArgumentException("model " + release.getModelName() + " is of family "
                    + release.getFamily() + ", which live scoring does not know; known: " + families.keySet());
        }
        return family.load(release);
    }
}
