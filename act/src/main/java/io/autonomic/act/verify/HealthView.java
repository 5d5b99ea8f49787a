package io.autonomic.act.verify;

import io.autonomic.schemas.avro.ResourceHealth;
import java.util.Optional;

/** The latest known health of each resource. Thread-safe. */
public interface HealthView {

    Optional<ResourceHealth> latest(String resourceId);

    /**
     * How many distinct resources of the service this view knows (the denominator of the blast-radius service
     * fraction); 0 when it cannot tell.
     */
    default int instancesOf(String service) {
        return 0;
    }
}
