package io.autonomic.detect.config;

import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to do about one incident type: an executor action with parameter templates (see {@link ParameterTemplates}),
 * how the worker may run it, and how long it may wait before verifying or giving up.
 *
 * @param resourceKind the kind of root-cause resource the playbook is for (one type is fixed differently on an ECS
 *     service and on a host process); null for any kind
 */
public record Playbook(String name, String incidentType, String action, ExecutionMode mode, Duration verifyWithin,
        Duration expiresAfter, Map<String, String> parameters, ResourceKind resourceKind) implements Serializable {

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

    /** A playbook for any resource kind. */
    public Playbook(String name, String incidentType, String action, ExecutionMode mode, Duration verifyWithin,
            Duration expiresAfter, Map<String, String> parameters) {
        this(name, incidentType, action, mode, verifyWithin, expiresAfter, parameters, null);
    }

    /** Whether the playbook applies to a root cause of this kind. */
    public boolean appliesTo(ResourceKind kind) {
        return resourceKind == null || resourceKind == kind;
    }
}
