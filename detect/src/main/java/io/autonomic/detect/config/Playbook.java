package io.autonomic.detect.config;

import io.autonomic.schemas.avro.ExecutionMode;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to do about one incident type: an executor action with parameter templates (see {@link ParameterTemplates}),
 * how the worker may run it, and how long it may wait before verifying or giving up.
 */
public record Playbook(String name, String incidentType, String action, ExecutionMode mode, Duration verifyWithin,
        Duration expiresAfter, Map<String, String> parameters) implements Serializable {

    public static final Duration DEFAULT_VERIFY_WITHIN = Duration.ofMinutes(2);
    public static final Duration DEFAULT_EXPIRES_AFTER = Duration.ofMinutes(5);

    public Playbook {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(incidentType, "incidentType");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(verifyWithin, "verifyWithin");
        Objects.requireNonNull(expiresAfter, "expiresAfter");
        parameters = Map.copyOf(parameters == null ? Map.of() : parameters);
        parameters.forEach((key, template) -> ParameterTemplates.validate(template));
    }
}
