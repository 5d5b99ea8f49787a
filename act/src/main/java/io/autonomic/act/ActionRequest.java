package io.autonomic.act;

import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.Resource;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link ActionExecutor} is asked to do: the part of a command an executor may rely on.
 *
 * @param action the executor action, e.g. {@code process.restart}
 * @param target the resource acted on
 * @param parameters action parameters as issued by the playbook (never interpolated into shell strings)
 * @param idempotencyKey the command's key, for executors whose targets support idempotent requests
 */
public record ActionRequest(String action, Resource target, Map<String, String> parameters, String idempotencyKey) {

    public ActionRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    public static ActionRequest of(RemediationCommand command) {
        return new ActionRequest(command.getAction(), command.getTarget(), command.getParameters(),
                command.getIdempotencyKey());
    }

    /** A parameter's value, or null when absent or blank. */
    public String parameter(String name) {
        String value = parameters.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
