package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.ssm.model.SendCommandResponse;
import software.amazon.awssdk.services.ssm.model.StartAutomationExecutionResponse;

/**
 * Systems Manager actions.
 *
 * <ul>
 *   <li>{@value #START_AUTOMATION}: StartAutomationExecution of parameter {@code document} (an SSM document name
 *       or ARN), with every parameter named {@code automation.<Name>} passed as the automation parameter
 *       {@code <Name>}. The ClientToken is {@link #clientToken derived from the command's idempotency key}, so a
 *       redelivered command starts no second execution: SSM answers the same execution id.</li>
 *   <li>{@value #RUN_CLEANUP}: SendCommand of {@code AWS-RunShellScript} on the target instance, running one of
 *       the cleanup scripts declared in configuration. Parameter {@code command} only selects a script by name;
 *       the shell lines themselves come from configuration alone, never from telemetry or the command.
 *       SendCommand takes no idempotency token: the worker's ledger keeps it to one call, and cleanup scripts
 *       should be safe to run twice (delete what is there).</li>
 * </ul>
 */
public final class SsmExecutor extends AbstractAwsExecutor {

    public static final String START_AUTOMATION = "aws.ssm.start-automation";
    public static final String RUN_CLEANUP = "aws.ssm.run-cleanup";
    public static final String RUN_SHELL_DOCUMENT = "AWS-RunShellScript";
    static final String AUTOMATION_PARAMETER_PREFIX = "automation.";

    private final Map<String, List<String>> cleanupCommands;

    /**
     * @param cleanupCommands the allowlist: script name → shell lines, as configured (may be empty: then every
     *     {@value #RUN_CLEANUP} is refused)
     */
    public SsmExecutor(AwsClients clients, Map<String, List<String>> cleanupCommands) {
        super(clients);
        this.cleanupCommands = validateCleanupCommands(cleanupCommands);
    }

    /** A sorted immutable copy; a bad name or an empty script fails with an {@link IllegalArgumentException}. */
    static Map<String, List<String>> validateCleanupCommands(Map<String, List<String>> cleanupCommands) {
        Map<String, List<String>> copy = new TreeMap<>();
        cleanupCommands.forEach((name, lines) -> {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("cleanup command name '" + name
                        + "' must be 1-64 letters, digits, '_', '.' or '-'");
            }
            if (lines == null || lines.isEmpty() || lines.stream().anyMatch(line -> line == null || line.isBlank())) {
                throw new IllegalArgumentException("cleanup command '" + name + "' must be a non-empty list of lines");
            }
            copy.put(name, List.copyOf(lines));
        });
        return java.util.Collections.unmodifiableMap(copy);
    }

    public Map<String, List<String>> cleanupCommands() {
        return cleanupCommands;
    }

    @Override
    public Set<String> actions() {
        return Set.of(START_AUTOMATION, RUN_CLEANUP);
    }

    /**
     * StartAutomationExecution's ClientToken must be a UUID (36 characters, hex and dashes); a name-based UUID of
     * the idempotency key is stable across redeliveries and workers.
     */
    public static String clientToken(String idempotencyKey) {
        return UUID.nameUUIDFromBytes(("autonomic:" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException {
        return START_AUTOMATION.equals(request.action()) ? startAutomation(request) : runCleanup(request);
    }

    private ActionResult startAutomation(ActionRequest request) throws AwsIds.InvalidIdException {
        String document = AwsIds.require(request, "document", AwsIds.SSM_DOCUMENT, "SSM document name");
        Map<String, List<String>> parameters = new TreeMap<>();
        for (Map.Entry<String, String> entry : request.parameters().entrySet()) {
            if (entry.getKey().startsWith(AUTOMATION_PARAMETER_PREFIX)) {
                String name = AwsIds.check(entry.getKey().substring(AUTOMATION_PARAMETER_PREFIX.length()),
                        AwsIds.SSM_PARAMETER_NAME, "automation parameter name", "parameter '" + entry.getKey() + "'");
                parameters.put(name, List.of(entry.getValue()));
            }
        }
        String token = clientToken(request.idempotencyKey());
        StartAutomationExecutionResponse response = clients.ssm().startAutomationExecution(b -> b
                .documentName(document)
                .parameters(parameters)
                .clientToken(token));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("document", document);
        facts.put("clientToken", token);
        facts.put("automationExecutionId", response.automationExecutionId());
        return ActionResult.success("started automation " + document + " as " + response.automationExecutionId(), facts);
    }

    private ActionResult runCleanup(ActionRequest request) throws AwsIds.InvalidIdException {
        String name = request.parameter("command");
        if (name == null) {
            throw new AwsIds.InvalidIdException("parameter 'command' (a configured cleanup command name) is required");
        }
        List<String> lines = cleanupCommands.get(name);
        if (lines == null) {
            throw new AwsIds.InvalidIdException("cleanup command '" + AwsIds.abbreviate(name)
                    + "' is not in the configured allowlist " + cleanupCommands.keySet());
        }
        String instanceId = AwsIds.instanceId(request);
        SendCommandResponse response = clients.ssm().sendCommand(b -> b
                .documentName(RUN_SHELL_DOCUMENT)
                .instanceIds(instanceId)
                .comment(AwsIds.truncate("autonomic " + name + " " + request.idempotencyKey(), 100))
                .parameters(Map.of("commands", lines)));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("instanceId", instanceId);
        facts.put("cleanupCommand", name);
        facts.put("commandId", response.command() == null ? "" : response.command().commandId());
        return ActionResult.success("cleanup '" + name + "' sent to " + instanceId, facts);
    }
}
