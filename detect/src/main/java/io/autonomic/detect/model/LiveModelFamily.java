package io.autonomic.detect.model;

import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.Serializable;
import java.util.List;

/**
 * One model family (the {@code family} of a {@link ModelRelease}) as the live scoring sees it: which model names
 * apply to a resource, and how a release becomes a {@link LiveModel}. Registered in a {@link LiveModelRegistry}.
 */
public interface LiveModelFamily extends Serializable {

    /** The family name releases carry, e.g. {@code anomaly}. */
    String family();

    /** Model names that may score a resource of this kind, most specific first; the first one live is used. */
    List<String> candidateNames(ResourceKind kind);

    /**
     * The live model of a release of this family.
     *
     * @throws IllegalArgumentException naming the release when it cannot be used (bad payload, wrong shape)
     */
    LiveModel load(ModelRelease release);
}
