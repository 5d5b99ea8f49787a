package io.autonomic.ingest.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

public class CloudEventNormalizerTest {

    /** The shape of AWS's documented CloudWatch alarm state change example (EventBridge delivery). */
    public static final String ALARM_EVENT = """
            {"version": "0", "id": "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
             "detail-type": "CloudWatch Alarm State Change", "source": "aws.cloudwatch",
             "account": "123456789012", "time": "2019-10-02T17:04:40Z", "region": "us-east-1",
             "resources": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"],
             "detail": {
               "alarmName": "ServerCpuTooHigh",
               "configuration": {
                 "description": "Goes into alarm when server CPU utilization is too high!",
                 "metrics": [{"id": "30b6c6b2-a864-43a2-4877-c09a1afc3b87",
                   "metricStat": {"metric": {"dimensions": {"InstanceId": "i-12345678901234567"},
                     "name": "CPUUtilization", "namespace": "AWS/EC2"}, "period": 300, "stat": "Average"},
                   "returnData": true}]},
               "previousState": {"reason": "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0)",
                 "timestamp": "2019-10-01T13:56:40.985+0000", "value": "OK"},
               "state": {"reason": "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0)",
                 "timestamp": "2019-10-02T17:04:40.985+0000", "value": "ALARM"}}}
            """;

    /** An EventBridge Config compliance change for a security group that lost its restricted-ssh compliance. */
    public static final String COMPLIANCE_EVENT = """
            {"version": "0", "id": "01234567-0123-0123-0123-012345678901",
             "detail-type": "Config Rules Compliance Change", "source": "aws.config",
             "account": "123456789012", "time": "2024-05-02T09:15:02Z", "region": "eu-west-1", "resources": [],
             "detail": {
               "resourceId": "sg-0a1b2c3d4e5f67890", "awsRegion": "eu-west-1", "awsAccountId": "123456789012",
               "configRuleName": "restricted-ssh", "recordVersion": "1.0",
               "configRuleARN": "arn:aws:config:eu-west-1:123456789012:config-rule/config-rule-9rpvxc",
               "messageType": "ComplianceChangeNotification",
               "newEvaluationResult": {
                 "evaluationResultIdentifier": {
                   "evaluationResultQualifier": {"configRuleName": "restricted-ssh",
                     "resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-0a1b2c3d4e5f67890"},
                   "orderingTimestamp": "2024-05-02T09:14:58.221Z"},
                 "complianceType": "NON_COMPLIANT", "resultRecordedTime": "2024-05-02T09:15:01.405Z",
                 "configRuleInvokedTime": "2024-05-02T09:14:59.914Z", "annotation": null, "resultToken": null},
               "oldEvaluationResult": {
                 "evaluationResultIdentifier": {
                   "evaluationResultQualifier": {"configRuleName": "restricted-ssh",
                     "resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-0a1b2c3d4e5f67890"},
                   "orderingTimestamp": "2024-05-01T09:14:58.221Z"},
                 "complianceType": "COMPLIANT", "resultRecordedTime": "2024-05-01T09:15:01.405Z",
                 "configRuleInvokedTime": "2024-05-01T09:14:59.914Z", "annotation": null, "resultToken": null},
               "notificationCreationTime": "2024-05-02T09:15:02.101Z", "resourceType": "AWS::EC2::SecurityGroup"}}
            """;

    private final CloudEventNormalizer normalizer = new CloudEventNormalizer();

    private List<TelemetryPoint> normalize(String json) throws CloudEventException {
        return normalizer.normalize(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void normalize_alarmOnAnInstance_isOneAlarmStatePointForThatInstance() throws Exception {
        TelemetryPoint point = normalize(ALARM_EVENT).get(0);

        assertThat(point.getMetric()).isEqualTo(CloudEventNormalizer.ALARM_STATE_METRIC);
        assertThat(point.getValue()).isEqualTo(1.0);
        assertThat(point.getTimestampMillis()).isEqualTo(Instant.parse("2019-10-02T17:04:40.985Z").toEpochMilli());
        assertThat(point.getResource().getKind()).isEqualTo(ResourceKind.EC2_INSTANCE);
        assertThat(point.getResource().getId())
                .isEqualTo("ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-12345678901234567");
        assertThat(point.getResource().getAttributes()).containsEntry("cloud.region", "us-east-1")
                .containsEntry("cloud.account.id", "123456789012");
        assertThat(point.getAttributes()).containsEntry("alarm.name", "ServerCpuTooHigh")
                .containsEntry("alarm.state", "ALARM").containsEntry("alarm.previous_state", "OK")
                .hasEntrySatisfying("alarm.reason", reason -> assertThat(reason).startsWith("Threshold Crossed"));
        assertThat(point.getSeriesKey()).isEqualTo(
                "ec2-instance:arn:aws:ec2:us-east-1:123456789012:instance/i-12345678901234567"
                        + "|aws.cloudwatch.alarm.state{alarm.name=ServerCpuTooHigh}");
    }

    @Test
    void normalize_alarmStates_mapToOneZeroAndHalf() throws Exception {
        assertThat(normalize(ALARM_EVENT.replace("\"value\": \"ALARM\"", "\"value\": \"OK\"")).get(0).getValue()).isZero();
        assertThat(normalize(ALARM_EVENT.replace("\"value\": \"ALARM\"", "\"value\": \"INSUFFICIENT_DATA\"")).get(0)
                .getValue()).isEqualTo(0.5);
    }

    @Test
    void normalize_alarmWithoutResourceDimensions_isAboutTheAlarmItself() throws Exception {
        TelemetryPoint point = normalize(ALARM_EVENT.replace("\"InstanceId\": \"i-12345678901234567\"",
                "\"LoadBalancer\": \"app/web/50dc6c495c0c9188\"")).get(0);

        assertThat(point.getResource().getKind()).isEqualTo(ResourceKind.CLOUD_RESOURCE);
        assertThat(point.getResource().getId())
                .isEqualTo("cloud:arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh");
    }

    @Test
    void normalize_alarmOnLambdaAndEcsDimensions_resolvesLikeTheirOwnTelemetry() throws Exception {
        TelemetryPoint lambda = normalize(ALARM_EVENT.replace("\"InstanceId\": \"i-12345678901234567\"",
                "\"FunctionName\": \"checkout\", \"Resource\": \"checkout:live\"")).get(0);
        TelemetryPoint ecs = normalize(ALARM_EVENT.replace("\"InstanceId\": \"i-12345678901234567\"",
                "\"ClusterName\": \"prod\", \"ServiceName\": \"checkout\"")).get(0);

        assertThat(lambda.getResource().getId()).isEqualTo("lambda:us-east-1/checkout:live");
        assertThat(ecs.getResource().getKind()).isEqualTo(ResourceKind.ECS_SERVICE);
        assertThat(ecs.getResource().getId()).isEqualTo("ecs-service:arn:aws:ecs:us-east-1:123456789012:service/prod/checkout");
    }

    @Test
    void normalize_securityGroupNonCompliant_isComplianceOneOnTheGroup() throws Exception {
        TelemetryPoint point = normalize(COMPLIANCE_EVENT).get(0);

        assertThat(point.getMetric()).isEqualTo(CloudEventNormalizer.COMPLIANCE_METRIC);
        assertThat(point.getValue()).isEqualTo(1.0);
        assertThat(point.getResource().getKind()).isEqualTo(ResourceKind.CLOUD_RESOURCE);
        assertThat(point.getResource().getId())
                .isEqualTo("cloud:arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1b2c3d4e5f67890");
        assertThat(point.getAttributes()).containsEntry("config.rule", "restricted-ssh")
                .containsEntry("config.resource_type", "AWS::EC2::SecurityGroup")
                .containsEntry("config.resource_id", "sg-0a1b2c3d4e5f67890")
                .doesNotContainKey("config.annotation");
        assertThat(point.getTimestampMillis()).isEqualTo(Instant.parse("2024-05-02T09:15:01.405Z").toEpochMilli());
    }

    @Test
    void normalize_arrayOfEvents_yieldsEveryEventsPoints() throws Exception {
        String compliant = COMPLIANCE_EVENT.replace("\"complianceType\": \"NON_COMPLIANT\"", "\"complianceType\": \"COMPLIANT\"");

        List<TelemetryPoint> points = normalize("[" + ALARM_EVENT + "," + compliant + "]");

        assertThat(points).extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CloudEventNormalizer.ALARM_STATE_METRIC, 1.0),
                org.assertj.core.groups.Tuple.tuple(CloudEventNormalizer.COMPLIANCE_METRIC, 0.0));
    }

    @Test
    void normalize_notApplicable_yieldsNoPoint() throws Exception {
        assertThat(normalize(COMPLIANCE_EVENT.replace("\"complianceType\": \"NON_COMPLIANT\"",
                "\"complianceType\": \"NOT_APPLICABLE\""))).isEmpty();
    }

    @Test
    void normalize_badInput_failsWithAReason() {
        assertThatThrownBy(() -> normalize("{\"detail-type\": ")).isInstanceOfSatisfying(CloudEventException.class,
                e -> assertThat(e.reason()).isEqualTo(CloudEventException.MALFORMED_JSON));
        assertThatThrownBy(() -> normalize("{\"detail-type\": \"EC2 Instance State-change Notification\", \"detail\": {}}"))
                .isInstanceOfSatisfying(CloudEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(CloudEventException.UNSUPPORTED_EVENT));
        assertThatThrownBy(() -> normalize(ALARM_EVENT.replace("\"alarmName\": \"ServerCpuTooHigh\",", "")))
                .isInstanceOfSatisfying(CloudEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(CloudEventException.MISSING_FIELD));
        assertThatThrownBy(() -> normalize("42")).isInstanceOf(CloudEventException.class);
    }
}
