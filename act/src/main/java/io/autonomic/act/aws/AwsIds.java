package io.autonomic.act.aws;

import io.autonomic.act.ActionRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates every identifier an AWS executor sends, before any call: a value that does not have its kind's exact
 * shape is refused with an {@link InvalidIdException} naming the parameter, so nothing from telemetry reaches an
 * API unchecked.
 */
final class AwsIds {

    static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    static final Pattern EC2_INSTANCE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:ec2:[a-z0-9-]+:\\d{12}:instance/(i-(?:[0-9a-f]{8}|[0-9a-f]{17}))");
    static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    static final Pattern ECS_SERVICE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:service/([A-Za-z0-9_-]{1,255})/([A-Za-z0-9_-]{1,255})");
    static final Pattern ECS_TASK_ARN = Pattern.compile(
            "arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task/([A-Za-z0-9_-]{1,255})/([A-Za-z0-9-]{1,64})");
    static final Pattern ASG_NAME = Pattern.compile("[A-Za-z0-9._ /-]{1,255}");
    static final Pattern LAMBDA_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final Pattern LAMBDA_ID = Pattern.compile("lambda:([a-z0-9-]+)/([A-Za-z0-9_-]{1,64})(?::[A-Za-z0-9_$-]+)?");
    static final Pattern LAMBDA_ALIAS = Pattern.compile("(?!\\d+$)[A-Za-z0-9_-]{1,128}");
    static final Pattern HOSTED_ZONE_ID = Pattern.compile("(?:/hostedzone/)?([A-Z0-9]{1,32})");
    static final Pattern DNS_NAME = Pattern.compile("(?:[A-Za-z0-9_*](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)*"
            + "[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\\.?");
    static final Pattern RECORD_TYPE = Pattern.compile("A|AAAA|CNAME|MX|TXT|SRV|NS|PTR|SPF|CAA|NAPTR|DS");
    static final Pattern SET_IDENTIFIER = Pattern.compile("[A-Za-z0-9 ._:-]{1,128}");
    static final Pattern WAF_NAME = Pattern.compile("[\\w-]{1,128}");
    static final Pattern WAF_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern WAF_SCOPE = Pattern.compile("REGIONAL|CLOUDFRONT");
    static final Pattern SSM_DOCUMENT = Pattern.compile("[A-Za-z0-9_.:/-]{3,128}");
    static final Pattern SSM_PARAMETER_NAME = Pattern.compile("[A-Za-z0-9]{1,50}");
    static final Pattern IPV4_CIDR = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)");
    static final Pattern IPV6_CIDR = Pattern.compile("[0-9a-fA-F:]{2,39}/(12[0-8]|1[01]\\d|[1-9]?\\d)");
    static final Pattern PORT = Pattern.compile("\\d{1,5}|-1");
    static final Pattern PROTOCOL = Pattern.compile("tcp|udp|icmp|-1");

    private AwsIds() {
    }

    /** A refused identifier; the executor turns it into a failure result without calling AWS. */
    static final class InvalidIdException extends Exception {
        InvalidIdException(String message) {
            super(message);
        }
    }

    static String require(ActionRequest request, String parameter, Pattern shape, String kind)
            throws InvalidIdException {
        String value = request.parameter(parameter);
        if (value == null) {
            throw new InvalidIdException("parameter '" + parameter + "' (" + kind + ") is required");
        }
        return check(value, shape, kind, "parameter '" + parameter + "'");
    }

    static String optional(ActionRequest request, String parameter, Pattern shape, String kind)
            throws InvalidIdException {
        String value = request.parameter(parameter);
        return value == null ? null : check(value, shape, kind, "parameter '" + parameter + "'");
    }

    static String check(String value, Pattern shape, String kind, String where) throws InvalidIdException {
        if (!shape.matcher(value).matches()) {
            throw new InvalidIdException(where + " is not a valid " + kind + ": '" + abbreviate(value) + "'");
        }
        return value;
    }

    static Matcher match(String value, Pattern shape, String kind, String where) throws InvalidIdException {
        Matcher matcher = shape.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidIdException(where + " is not a valid " + kind + ": '" + abbreviate(value) + "'");
        }
        return matcher;
    }

    /**
     * The EC2 instance id of a request: parameter {@code instance-id}, else the target id
     * {@code ec2-instance:<arn>} or a bare instance id, else the target's {@code host.id} attribute when it is an
     * instance id (what the OTel EC2 resource detector reports, so a {@code process:} resource on EC2 resolves).
     */
    static String instanceId(ActionRequest request) throws InvalidIdException {
        String explicit = optional(request, "instance-id", INSTANCE_ID, "EC2 instance id");
        if (explicit != null) {
            return explicit;
        }
        String id = request.target().getId();
        String value = id.startsWith("ec2-instance:") ? id.substring("ec2-instance:".length()) : id;
        if (INSTANCE_ID.matcher(value).matches()) {
            return value;
        }
        String hostId = request.target().getAttributes().get("host.id");
        if (!id.startsWith("ec2-instance:") && hostId != null && INSTANCE_ID.matcher(hostId).matches()) {
            return hostId;
        }
        return match(value, EC2_INSTANCE_ARN, "EC2 instance ARN or id", "target '" + abbreviate(id) + "'").group(1);
    }

    static int integer(ActionRequest request, String parameter, int min, int max) throws InvalidIdException {
        String value = request.parameter(parameter);
        if (value == null) {
            throw new InvalidIdException("parameter '" + parameter + "' (an integer " + min + ".." + max + ") is required");
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new InvalidIdException("parameter '" + parameter + "' must be an integer " + min + ".." + max
                    + ": '" + abbreviate(value) + "'");
        }
    }

    static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…";
    }
}
