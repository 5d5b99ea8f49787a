package io.autonomic.ingest.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.ingest.ResourceIdentity;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Normalizes EventBridge events into {@link TelemetryPoint}s. Accepts one event or a JSON array of events (what a
 * batch delivery or a test posts). Pure and thread-safe.
 *
 * <ul>
 *   <li>{@code "CloudWatch Alarm State Change"} (source {@code aws.cloudwatch}): metric
 *       {@value #ALARM_STATE_METRIC}, 1 for {@code ALARM}, 0 for {@code OK}, 0.5 for {@code INSUFFICIENT_DATA};
 *       point attributes {@code alarm.name}, {@code alarm.state}, {@code alarm.previous_state},
 *       {@code alarm.reason}. The resource is what the alarm's metric dimensions name ({@code InstanceId}: the EC2
 *       instance; {@code FunctionName}: the Lambda function, qualified by {@code Resource} when set;
 *       {@code ClusterName}+{@code ServiceName}: the ECS service), else the alarm's own ARN.</li>
 *   <li>{@code "Config Rules Compliance Change"} (source {@code aws.config}): metric
 *       {@value #COMPLIANCE_METRIC}, 1 for {@code NON_COMPLIANT}, 0 for {@code COMPLIANT} (other compliance types,
 *       e.g. {@code NOT_APPLICABLE}, yield no point); attributes {@code config.rule}, {@code config.compliance},
 *       {@code config.annotation}. The resource is the evaluated one: an EC2 instance or Lambda function gets the
 *       same id its own telemetry gets; anything else (a security group, a bucket) {@code cloud:<arn>} when its ARN
 *       can be built, else {@code cloud:<resourceType>/<resourceId>}.</li>
 * </ul>
 * The point's time is the state or evaluation time, falling back to the event's {@code time}. Resource attributes
 * carry {@code cloud.provider=aws}, {@code cloud.region}, {@code cloud.account.id} and {@code cloud.resource_id},
 * and the id comes from {@link ResourceIdentity}, so it matches the id of the resource's own telemetry.
 */
public final class CloudEventNormalizer {

    public static final String ALARM_STATE_METRIC = "aws.cloudwatch.alarm.state";
    public static final String COMPLIANCE_METRIC = "aws.config.compliance";
    public static final String ALARM_DETAIL_TYPE = "CloudWatch Alarm State Change";
    public static final String COMPLIANCE_DETAIL_TYPE = "Config Rules Compliance Change";
    static final String SCOPE = "io.autonomic.ingest.cloud";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** CloudWatch writes state timestamps as {@code 2019-10-02T17:04:40.985+0000}: an offset without a colon. */
    private static final DateTimeFormatter FLEXIBLE_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .appendPattern("[XXX][XX][X]")
            .toFormatter();

    /** All points of the event(s) in {@code json}; fails the whole record when any event is unusable. */
    public List<TelemetryPoint> normalize(byte[] json) throws CloudEventException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new CloudEventException(CloudEventException.MALFORMED_JSON, "not JSON: " + e.getMessage());
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            throw new CloudEventException(CloudEventException.MALFORMED_JSON, "expected an event object or an array of events");
        }
        List<TelemetryPoint> points = new ArrayList<>();
        if (root.isArray()) {
            for (JsonNode event : root) {
                points.addAll(event(event));
            }
        } else {
            points.addAll(event(root));
        }
        return points;
    }

    private List<TelemetryPoint> event(JsonNode event) throws CloudEventException {
        if (!event.isObject()) {
            throw new CloudEventException(CloudEventException.MALFORMED_JSON, "an event is not a JSON object");
        }
        String detailType = event.path("detail-type").asText("");
        JsonNode detail = event.path("detail");
        if (!detail.isObject()) {
            throw new CloudEventException(CloudEventException.MISSING_FIELD, "event '" + detailType + "' has no detail object");
        }
        return switch (detailType) {
            case ALARM_DETAIL_TYPE -> List.of(alarm(event, detail));
            case COMPLIANCE_DETAIL_TYPE -> compliance(event, detail);
            default -> throw new CloudEventException(CloudEventException.UNSUPPORTED_EVENT,
                    "detail-type '" + detailType + "' from '" + event.path("source").asText("") + "' is not supported");
        };
    }

    private TelemetryPoint alarm(JsonNode event, JsonNode detail) throws CloudEventException {
        String alarmName = required(detail, "alarmName");
        String state = required(detail.path("state"), "value");
        double value = switch (state) {
            case "ALARM" -> 1.0;
            case "OK" -> 0.0;
            case "INSUFFICIENT_DATA" -> 0.5;
            default -> throw new CloudEventException(CloudEventException.UNSUPPORTED_EVENT, "alarm state '" + state + "'");
        };
        String region = event.path("region").asText("");
        String account = event.path("account").asText("");
        String target = alarmTarget(detail, region, account);
        if (target == null) {
            JsonNode resources = event.path("resources");
            target = resources.isArray() && !resources.isEmpty() ? resources.get(0).asText()
                    : "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + alarmName;
        }
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("alarm.name", alarmName);
        attributes.put("alarm.state", state);
        putIfPresent(attributes, "alarm.previous_state", detail.path("previousState").path("value").asText(""));
        putIfPresent(attributes, "alarm.reason", detail.path("state").path("reason").asText(""));
        long time = timeMillis(detail.path("state").path("timestamp").asText(""), event);
        return point(ALARM_STATE_METRIC, resource(target, region, account), attributes, time, value);
    }

    /** The resource an alarm's metric is about, as an ARN, from its dimensions; null when they name none. */
    private static String alarmTarget(JsonNode detail, String region, String account) {
        for (JsonNode metric : detail.path("configuration").path("metrics")) {
            JsonNode dimensions = metric.path("metricStat").path("metric").path("dimensions");
            String instance = dimensions.path("InstanceId").asText("");
            if (!instance.isEmpty()) {
                return "arn:aws:ec2:" + region + ":" + account + ":instance/" + instance;
            }
            String function = dimensions.path("FunctionName").asText("");
            if (!function.isEmpty()) {
                String qualified = dimensions.path("Resource").asText("");
                String name = qualified.startsWith(function + ":") ? qualified : function;
                return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
            }
            String cluster = dimensions.path("ClusterName").asText("");
            String service = dimensions.path("ServiceName").asText("");
            if (!cluster.isEmpty() && !service.isEmpty()) {
                return "arn:aws:ecs:" + region + ":" + account + ":service/" + cluster + "/" + service;
            }
        }
        return null;
    }

    private List<TelemetryPoint> compliance(JsonNode event, JsonNode detail) throws CloudEventException {
        JsonNode result = detail.path("newEvaluationResult");
        JsonNode qualifier = result.path("evaluationResultIdentifier").path("evaluationResultQualifier");
        String rule = firstNonEmpty(detail.path("configRuleName").asText(""), qualifier.path("configRuleName").asText(""));
        String resourceType = firstNonEmpty(detail.path("resourceType").asText(""), qualifier.path("resourceType").asText(""));
        String resourceId = firstNonEmpty(detail.path("resourceId").asText(""), qualifier.path("resourceId").asText(""));
        String compliance = result.path("complianceType").asText("");
        if (rule.isEmpty() || resourceType.isEmpty() || resourceId.isEmpty() || compliance.isEmpty()) {
            throw new CloudEventException(CloudEventException.MISSING_FIELD,
                    "a compliance change needs configRuleName, resourceType, resourceId and newEvaluationResult.complianceType");
        }
        double value;
        if (compliance.equals("NON_COMPLIANT")) {
            value = 1.0;
        } else if (compliance.equals("COMPLIANT")) {
            value = 0.0;
        } else {
            return List.of();
        }
        String region = firstNonEmpty(detail.path("awsRegion").asText(""), event.path("region").asText(""));
        String account = firstNonEmpty(detail.path("awsAccountId").asText(""), event.path("account").asText(""));
        Map<String, String> attributes = new TreeMap<>();
        attributes.put("config.rule", rule);
        attributes.put("config.compliance", compliance);
        attributes.put("config.resource_type", resourceType);
        attributes.put("config.resource_id", resourceId);
        putIfPresent(attributes, "config.annotation", result.path("annotation").asText(""));
        long time = timeMillis(result.path("resultRecordedTime").asText(""), event);
        return List.of(point(COMPLIANCE_METRIC, resource(configArn(resourceType, resourceId, region, account), region,
                account), attributes, time, value));
    }

    /** The ARN of a Config-evaluated resource, for the types whose ARN shape is fixed; otherwise type/id. */
    static String configArn(String resourceType, String resourceId, String region, String account) {
        if (resourceId.startsWith("arn:")) {
            return resourceId;
        }
        return switch (resourceType) {
            case "AWS::EC2::Instance" -> "arn:aws:ec2:" + region + ":" + account + ":instance/" + resourceId;
            case "AWS::EC2::SecurityGroup" -> "arn:aws:ec2:" + region + ":" + account + ":security-group/" + resourceId;
            case "AWS::EC2::Volume" -> "arn:aws:ec2:" + region + ":" + account + ":volume/" + resourceId;
            case "AWS::Lambda::Function" -> "arn:aws:lambda:" + region + ":" + account + ":function:" + resourceId;
            case "AWS::S3::Bucket" -> "arn:aws:s3:::" + resourceId;
            default -> resourceType + "/" + resourceId;
        };
    }

    private static Resource resource(String resourceId, String region, String account) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(ResourceIdentity.CLOUD_PROVIDER, "aws");
        putIfPresent(attributes, ResourceIdentity.CLOUD_REGION, region);
        putIfPresent(attributes, "cloud.account.id", account);
        attributes.put(ResourceIdentity.CLOUD_RESOURCE_ID, resourceId);
        return ResourceIdentity.resolve(attributes);
    }

    private static TelemetryPoint point(String metric, Resource resource, Map<String, String> attributes, long time,
            double value) {
        return TelemetryPoint.newBuilder()
                .setResource(resource)
                .setMetric(metric)
                .setUnit("1")
                .setType(MetricType.GAUGE)
                .setTemporality(Temporality.UNSPECIFIED)
                .setMonotonic(false)
                .setAttributes(attributes)
                .setSeriesKey(ResourceIdentity.seriesKey(resource.getId(), metric, seriesAttributes(attributes)))
                .setTimestampMillis(time)
                .setValue(value)
                .setScope(SCOPE)
                .build();
    }

    /** The series is the alarm or rule, not its changing state, reason or annotation. */
    private static Map<String, String> seriesAttributes(Map<String, String> attributes) {
        Map<String, String> identifying = new TreeMap<>();
        attributes.forEach((k, v) -> {
            if (k.equals("alarm.name") || k.equals("config.rule")) {
                identifying.put(k, v);
            }
        });
        return identifying;
    }

    private static long timeMillis(String preferred, JsonNode event) throws CloudEventException {
        String[] candidates = {preferred, event.path("time").asText("")};
        for (String candidate : candidates) {
            if (!candidate.isEmpty()) {
                try {
                    return OffsetDateTime.parse(candidate, FLEXIBLE_OFFSET).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    // fall through to the event's own time
                }
            }
        }
        throw new CloudEventException(CloudEventException.MISSING_FIELD, "the event has no readable time");
    }

    private static String required(JsonNode node, String field) throws CloudEventException {
        String value = node.path(field).asText("");
        if (value.isEmpty()) {
            throw new CloudEventException(CloudEventException.MISSING_FIELD, "missing '" + field + "'");
        }
        return value;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty() && !value.equals("null")) {
            map.put(key, value);
        }
    }

    private static String firstNonEmpty(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    /** Whether {@code json} is a JSON object or array at all (the receiver's cheap validation). */
    public static boolean looksLikeEvents(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            return root != null && (root.isObject() || root.isArray());
        } catch (IOException e) {
            return false;
        }
    }
}
