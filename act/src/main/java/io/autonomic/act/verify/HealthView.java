package io.autonomic.act.verify;

import io.autonomic.schemas.avro.ResourceHealth;
import java.util.Optional;

/** The latest known health of each resource. Thread-safe. */
public interface HealthView {

    Optional<ResourceHealth> latest(String resourceId);
}
