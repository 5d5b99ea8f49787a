package io.autonomic.act.aws;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.autonomic.act.ActionExecutor;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the AWS executors from the worker's options. Nothing is built (and no credential is looked up) unless
 * {@code --aws-enabled=true}: an action on AWS must be switched on deliberately.
 */
public final class AwsExecutors {

    public static final Option<Boolean> ENABLED = Option.bool("aws-enabled", false,
            "register the AWS executors (ssm, ecs, autoscaling, ec2, lambda, route53, wafv2 actions)");
    public static final Option<String> REGION = Option.string("aws-region", null,
            "AWS region (default: the SDK's region chain: AWS_REGION, profile, instance metadata)");
    public static final Option<String> ENDPOINT = Option.string("aws-endpoint", null,
            "endpoint override for every AWS service, e.g. http://localhost:4566 for LocalStack");
    public static final Option<Integer> MAX_ATTEMPTS = Option.integer("aws-max-attempts", AwsClients.DEFAULT_MAX_ATTEMPTS,
            "attempts per AWS call including the first; throttling and transient errors are retried with backoff");
    public static final Option<Duration> THROTTLING_BASE_DELAY = Option.duration("aws-throttling-base-delay",
            AwsClients.DEFAULT_THROTTLING_BASE_DELAY, "base of the exponential backoff after a throttling answer");
    public static final Option<Path> SSM_CLEANUP_COMMANDS = Option.path("aws-ssm-cleanup-commands", null,
            "YAML allowlist of shell cleanup scripts aws.ssm.run-cleanup may send (cleanup-commands: {name: [lines]})");

    public static final List<Option<?>> OPTIONS = List.of(ENABLED, REGION, ENDPOINT, MAX_ATTEMPTS,
            THROTTLING_BASE_DELAY, SSM_CLEANUP_COMMANDS);

    private AwsExecutors() {
    }

    /** The AWS executors, or an empty list when {@link #ENABLED} is false. Bad values fail naming the option. */
    public static List<ActionExecutor> fromOptions(Options options) {
        if (!Boolean.TRUE.equals(options.get(ENABLED))) {
            return List.of();
        }
        Region region = options.get(REGION) == null || options.get(REGION).isBlank() ? null
                : Region.of(options.get(REGION).trim());
        URI endpoint = null;
        if (options.get(ENDPOINT) != null && !options.get(ENDPOINT).isBlank()) {
            try {
                endpoint = URI.create(options.get(ENDPOINT).trim());
            } catch (IllegalArgumentException e) {
                throw new OptionException("--" + ENDPOINT.name() + ": not a URL: " + options.get(ENDPOINT));
            }
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new OptionException("--" + ENDPOINT.name() + ": must be an absolute URL: " + endpoint);
            }
        }
        if (options.get(MAX_ATTEMPTS) < 1) {
            throw new OptionException("--" + MAX_ATTEMPTS.name() + ": must be at least 1");
        }
        Map<String, List<String>> cleanup = options.get(SSM_CLEANUP_COMMANDS) == null ? Map.of()
                : readCleanupCommands(options.get(SSM_CLEANUP_COMMANDS));
        AwsClients clients = new AwsClients(new AwsClients.Settings(region, null, endpoint, options.get(MAX_ATTEMPTS),
                AwsClients.DEFAULT_BASE_DELAY, options.get(THROTTLING_BASE_DELAY)));
        return all(clients, cleanup);
    }

    /** Every AWS executor over one set of clients. */
    public static List<ActionExecutor> all(AwsClients clients, Map<String, List<String>> cleanupCommands) {
        return List.of(new SsmExecutor(clients, cleanupCommands), new EcsExecutor(clients),
                new AutoScalingExecutor(clients), new Ec2Executor(clients), new LambdaExecutor(clients),
                new Route53Executor(clients), new WafExecutor(clients));
    }

    /**
     * Reads {@code cleanup-commands: {name: [line, ...]}}; errors name the file, the line and the entry.
     */
    public static Map<String, List<String>> readCleanupCommands(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OptionException("--" + SSM_CLEANUP_COMMANDS.name() + ": cannot read " + file + ": " + e);
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            throw new OptionException("cleanup commands " + file
                    + (location == null ? "" : " line " + location.getLineNr()) + ": " + e.getOriginalMessage());
        }
        JsonNode commands = root == null ? null : root.get("cleanup-commands");
        if (commands == null || !commands.isObject()) {
            throw new OptionException("cleanup commands " + file + ": top-level 'cleanup-commands' map is required");
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = commands.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode lines = entry.getValue();
            if (!lines.isArray() || lines.isEmpty()) {
                throw new OptionException("cleanup commands " + file + " at cleanup-commands." + entry.getKey()
                        + ": a non-empty list of shell lines is required");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode line : lines) {
                if (!line.isTextual() || line.asText().isBlank()) {
                    throw new OptionException("cleanup commands " + file + " at cleanup-commands." + entry.getKey()
                            + ": every line must be a non-blank string");
                }
                list.add(line.asText());
            }
            result.put(entry.getKey(), list);
        }
        try {
            // the executor's own checks (names) run now, at startup
            SsmExecutor.validateCleanupCommands(result);
        } catch (IllegalArgumentException e) {
            throw new OptionException("cleanup commands " + file + ": " + e.getMessage());
        }
        return result;
    }
}
