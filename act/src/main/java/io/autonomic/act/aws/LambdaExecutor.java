package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * {@value #ROLLBACK_ALIAS}: points a Lambda alias back at the version before the one it serves.
 *
 * <p>The function comes from parameter {@code function} or the target id {@code lambda:<region>/<name>}; the
 * alias from parameter {@code alias}. GetAlias reads the current version, ListVersionsByFunction finds the highest
 * published version below it (or parameter {@code to-version} names it), and UpdateAlias moves the alias with the
 * alias's RevisionId, so a concurrent change makes the call fail instead of being overwritten. The alias
 * description records the idempotency key: a redelivered command finds it and does not roll back a second
 * version; an alias already on the requested {@code to-version} is left alone.
 */
public final class LambdaExecutor extends AbstractAwsExecutor {

    public static final String ROLLBACK_ALIAS = "aws.lambda.rollback-alias";

    public LambdaExecutor(AwsClients clients) {
        super(clients);
    }

    @Override
    public Set<String> actions() {
        return Set.of(ROLLBACK_ALIAS);
    }

    static String marker(String idempotencyKey) {
        return "autonomic:" + idempotencyKey;
    }

    @Override
    ActionResult run(ActionRequest request) throws AwsIds.InvalidIdException {
        String function = AwsIds.optional(request, "function", AwsIds.LAMBDA_NAME, "Lambda function name");
        if (function == null) {
            String id = request.target().getId();
            Matcher matcher = AwsIds.match(id, AwsIds.LAMBDA_ID, "Lambda resource id (lambda:<region>/<name>)",
                    "target '" + AwsIds.abbreviate(id) + "' (or parameter 'function')");
            function = matcher.group(2);
        }
        String alias = AwsIds.require(request, "alias", AwsIds.LAMBDA_ALIAS, "Lambda alias name");
        String toVersion = AwsIds.optional(request, "to-version", java.util.regex.Pattern.compile("[1-9]\\d{0,9}"),
                "published Lambda version number");
        String functionName = function;
        GetAliasResponse current = clients.lambda().getAlias(b -> b.functionName(functionName).name(alias));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("function", functionName);
        facts.put("alias", alias);
        facts.put("fromVersion", current.functionVersion());
        String marker = marker(request.idempotencyKey());
        if (current.description() != null && current.description().contains(marker)) {
            facts.put("alreadyRolledBack", "true");
            facts.put("toVersion", current.functionVersion());
            return ActionResult.success("alias " + functionName + ":" + alias + " was already rolled back to "
                    + current.functionVersion() + " by this command", facts);
        }
        if (toVersion != null && toVersion.equals(current.functionVersion())) {
            facts.put("alreadyRolledBack", "true");
            facts.put("toVersion", toVersion);
            return ActionResult.success("alias " + functionName + ":" + alias + " already points at " + toVersion, facts);
        }
        String target = toVersion != null ? toVersion : previousVersion(functionName, current.functionVersion());
        if (target == null) {
            return ActionResult.failure("alias " + functionName + ":" + alias + " serves version "
                    + current.functionVersion() + " and no earlier published version exists to roll back to", facts);
        }
        facts.put("toVersion", target);
        String description = ("rolled back from " + current.functionVersion() + " by " + marker);
        String trimmed = description.length() <= 256 ? description : description.substring(0, 256);
        clients.lambda().updateAlias(b -> b.functionName(functionName).name(alias).functionVersion(target)
                .description(trimmed).revisionId(current.revisionId()));
        return ActionResult.success("alias " + functionName + ":" + alias + " rolled back from "
                + current.functionVersion() + " to " + target, facts);
    }

    /** The highest numbered published version below {@code current}, or null; $LATEST is never a target. */
    private String previousVersion(String function, String current) {
        if (!current.matches("\\d+")) {
            return null;
        }
        long currentNumber = Long.parseLong(current);
        OptionalLong previous = clients.lambda().listVersionsByFunctionPaginator(b -> b.functionName(function))
                .versions().stream()
                .map(FunctionConfiguration::version)
                .filter(version -> version != null && version.matches("\\d+"))
                .mapToLong(Long::parseLong)
                .filter(version -> version < currentNumber)
                .max();
        return previous.isPresent() ? Long.toString(previous.getAsLong()) : null;
    }
}
