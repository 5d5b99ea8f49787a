package io.autonomic.ingest;

import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Names the thing a telemetry resource describes: maps OpenTelemetry resource attributes (flattened to strings)
 * to the one {@link Resource} the whole pipeline, and the worker that acts on it, uses. The first rule that
 * applies wins; blank attribute values count as absent.
 *
 * <ol>
 *   <li>{@code cloud.resource_id}: an AWS ARN names its own kind. ECS task ({@code arn:aws:ecs:…:task/…}):
 *       {@code ECS_TASK}, id {@code ecs-task:<arn>}. ECS service ({@code …:service/…}): {@code ECS_SERVICE}, id
 *       {@code ecs-service:<arn>}. EC2 instance ({@code arn:aws:ec2:…:instance/…}): {@code EC2_INSTANCE}, id
 *       {@code ec2-instance:<arn>}. Lambda function ({@code arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]}):
 *       {@code LAMBDA_FUNCTION}, id {@code lambda:<region>/<name>[:<qualifier>]} (the same id rule 3 gives when the
 *       qualifier is the version). Anything else, ARN or not: {@code CLOUD_RESOURCE}, id {@code cloud:<value>}.</li>
 *   <li>{@code aws.ecs.task.arn}: {@code ECS_TASK}, id {@code ecs-task:<arn>}.</li>
 *   <li>{@code faas.name} with {@code cloud.provider=aws}: {@code LAMBDA_FUNCTION}, id
 *       {@code lambda:<cloud.region|unknown>/<faas.name>[:<faas.version>]}.</li>
 *   <li>{@code k8s.pod.name}: {@code K8S_POD}, id {@code k8s-pod:<k8s.namespace.name|default>/<pod>}.</li>
 *   <li>{@code k8s.deployment.name} (no pod, e.g. k8s_cluster receiver metrics): {@code K8S_DEPLOYMENT}, id
 *       {@code k8s-deployment:<k8s.namespace.name|default>/<deployment>}.</li>
 *   <li>a host ({@code host.name}, else {@code host.id}) with {@code service.name}: {@code HOST_PROCESS}, id
 *       {@code process:<host>/<service.name>}.</li>
 *   <li>{@code k8s.node.name}: {@code K8S_NODE}, id {@code k8s-node:<node>}.</li>
 *   <li>{@code host.id} with {@code cloud.platform=aws_ec2}, {@code cloud.region} and {@code cloud.account.id}
 *       (the EC2 resource detector): {@code EC2_INSTANCE}, id
 *       {@code ec2-instance:arn:aws:ec2:<region>:<account>:instance/<host.id>}, the id a CloudWatch alarm on
 *       that instance gets.</li>
 *   <li>a host only: {@code HOST}, id {@code host:<host>}.</li>
 *   <li>{@code service.name} only: {@code SERVICE}, id {@code service:<service.name>}.</li>
 *   <li>none of these: {@code UNKNOWN}, id {@code unknown:<hash>} where the hash is the first 16 hex digits of the
 *       SHA-256 of the attributes sorted by key (as {@code key=value} lines), so the same attributes always get
 *       the same id.</li>
 * </ol>
 *
 * <p>{@code service} is {@code service.name} whenever present, whatever the kind; {@code attributes} holds all the
 * resource attributes, sorted by key, so executors can read e.g. the region or cluster they need.
 *
 * <p>{@code host.name} wins over {@code host.id} because it is what the SDK's host detector sets and what people
 * and the process executor address; {@code host.id} (a machine id) is the fallback.
 */
public final class ResourceIdentity {

    public static final String CLOUD_RESOURCE_ID = "cloud.resource_id";
    public static final String CLOUD_PROVIDER = "cloud.provider";
    public static final String CLOUD_REGION = "cloud.region";
    public static final String AWS_ECS_TASK_ARN = "aws.ecs.task.arn";
    public static final String FAAS_NAME = "faas.name";
    public static final String FAAS_VERSION = "faas.version";
    public static final String K8S_POD_NAME = "k8s.pod.name";
    public static final String K8S_NAMESPACE_NAME = "k8s.namespace.name";
    public static final String K8S_DEPLOYMENT_NAME = "k8s.deployment.name";
    public static final String K8S_NODE_NAME = "k8s.node.name";
    public static final String CLOUD_PLATFORM = "cloud.platform";
    public static final String CLOUD_ACCOUNT_ID = "cloud.account.id";
    public static final String HOST_NAME = "host.name";
    public static final String HOST_ID = "host.id";
    public static final String SERVICE_NAME = "service.name";

    private ResourceIdentity() {
    }

    /** The resource that attributes describe, by the precedence in the class documentation. */
    public static Resource resolve(Map<String, String> attributes) {
        Objects.requireNonNull(attributes, "attributes");
        Map<String, String> sorted = new LinkedHashMap<>(new TreeMap<>(attributes));
        String service = value(attributes, SERVICE_NAME);
        Identity identity = identify(attributes, service);
        return Resource.newBuilder()
                .setId(identity.id)
                .setKind(identity.kind)
                .setService(service)
                .setAttributes(sorted)
                .build();
    }

    /**
     * The key of one time series: {@code resourceId|metric{k1=v1,k2=v2}} with the point attributes sorted by key
     * ({@code {}} when there are none).
     */
    public static String seriesKey(String resourceId, String metric, Map<String, String> pointAttributes) {
        StringBuilder key = new StringBuilder(resourceId.length() + metric.length() + 32)
                .append(resourceId).append('|').append(metric).append('{');
        boolean first = true;
        for (Map.Entry<String, String> attribute : new TreeMap<>(pointAttributes).entrySet()) {
            if (!first) {
                key.append(',');
            }
            key.append(attribute.getKey()).append('=').append(attribute.getValue());
            first = false;
        }
        return key.append('}').toString();
    }

    private static Identity identify(Map<String, String> attributes, String service) {
        String cloudResourceId = value(attributes, CLOUD_RESOURCE_ID);
        if (cloudResourceId != null) {
            return fromCloudResourceId(cloudResourceId);
        }
        String taskArn = value(attributes, AWS_ECS_TASK_ARN);
        if (taskArn != null) {
            return new Identity(ResourceKind.ECS_TASK, "ecs-task:" + taskArn);
        }
        String faasName = value(attributes, FAAS_NAME);
        if (faasName != null && "aws".equals(value(attributes, CLOUD_PROVIDER))) {
            String region = value(attributes, CLOUD_REGION);
            String version = value(attributes, FAAS_VERSION);
            return new Identity(ResourceKind.LAMBDA_FUNCTION, "lambda:" + (region == null ? "unknown" : region) + "/"
                    + faasName + (version == null ? "" : ":" + version));
        }
        String pod = value(attributes, K8S_POD_NAME);
        if (pod != null) {
            String namespace = value(attributes, K8S_NAMESPACE_NAME);
            return new Identity(ResourceKind.K8S_POD, "k8s-pod:" + (namespace == null ? "default" : namespace) + "/" + pod);
        }
        String deployment = value(attributes, K8S_DEPLOYMENT_NAME);
        if (deployment != null) {
            String namespace = value(attributes, K8S_NAMESPACE_NAME);
            return new Identity(ResourceKind.K8S_DEPLOYMENT,
                    "k8s-deployment:" + (namespace == null ? "default" : namespace) + "/" + deployment);
        }
        String host = value(attributes, HOST_NAME);
        if (host == null) {
            host = value(attributes, HOST_ID);
        }
        if (host != null && service != null) {
            return new Identity(ResourceKind.HOST_PROCESS, "process:" + host + "/" + service);
        }
        String node = value(attributes, K8S_NODE_NAME);
        if (node != null) {
            return new Identity(ResourceKind.K8S_NODE, "k8s-node:" + node);
        }
        String instance = value(attributes, HOST_ID);
        String region = value(attributes, CLOUD_REGION);
        String account = value(attributes, CLOUD_ACCOUNT_ID);
        if (instance != null && region != null && account != null && "aws_ec2".equals(value(attributes, CLOUD_PLATFORM))) {
            return new Identity(ResourceKind.EC2_INSTANCE,
                    "ec2-instance:arn:aws:ec2:" + region + ":" + account + ":instance/" + instance);
        }
        if (host != null) {
            return new Identity(ResourceKind.HOST, "host:" + host);
        }
        if (service != null) {
            return new Identity(ResourceKind.SERVICE, "service:" + service);
        }
        return new Identity(ResourceKind.UNKNOWN, "unknown:" + hash(attributes));
    }

    /** {@code arn:partition:service:region:account:resource}, where the resource part may itself hold colons. */
    private static Identity fromCloudResourceId(String value) {
        String[] arn = value.split(":", 6);
        if (arn.length == 6 && arn[0].equals("arn")) {
            String service = arn[2];
            String region = arn[3];
            String resource = arn[5];
            if (service.equals("ecs") && resource.startsWith("task/")) {
                return new Identity(ResourceKind.ECS_TASK, "ecs-task:" + value);
            }
            if (service.equals("ecs") && resource.startsWith("service/")) {
                return new Identity(ResourceKind.ECS_SERVICE, "ecs-service:" + value);
            }
            if (service.equals("ec2") && resource.startsWith("instance/")) {
                return new Identity(ResourceKind.EC2_INSTANCE, "ec2-instance:" + value);
            }
            if (service.equals("lambda") && resource.startsWith("function:") && resource.length() > "function:".length()) {
                String function = resource.substring("function:".length());
                int qualifier = function.indexOf(':');
                String name = qualifier < 0 ? function : function.substring(0, qualifier);
                String suffix = qualifier < 0 ? "" : function.substring(qualifier);
                return new Identity(ResourceKind.LAMBDA_FUNCTION,
                        "lambda:" + (region.isEmpty() ? "unknown" : region) + "/" + name + suffix);
            }
        }
        return new Identity(ResourceKind.CLOUD_RESOURCE, "cloud:" + value);
    }

    private static String value(Map<String, String> attributes, String key) {
        String value = attributes.get(key);
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static String hash(Map<String, String> attributes) {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(attributes).forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    private record Identity(ResourceKind kind, String id) {
    }
}
