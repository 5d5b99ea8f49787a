package io.autonomic.detect.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.incident.PlaybookCatalog;
import io.autonomic.detect.incident.PlaybookCatalog.Decision;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One test per seed failure family (issue 5): evidence as the pipeline produces it, diagnosed by the classifier
 * diagnoser trained on the shipped seed history behind the shipped rules, mapped by the shipped detect playbooks to a
 * command, whose playbook the worker ships under the same name with a trigger for that type.
 */
class SeedFamilyDiagnosisTest {

    private static ClassifierDiagnoser diagnoser;
    private static PlaybookCatalog catalog;
    private static Map<String, ActPlaybooks.ActPlaybook> worker;
    private static double minConfidence;

    @BeforeAll
    static void shippedDiagnoserAndPlaybooks() {
        DetectConfig config = DetectConfig.defaults();
        minConfidence = config.incident().minConfidence();
        diagnoser = ClassifierDiagnoser.fromSeedHistory().withMinConfidence(minConfidence);
        catalog = new PlaybookCatalog(config.playbooks());
        worker = ActPlaybooks.shipped();
    }

    @Test
    void ecsApi5xxCrashLoop_isHttp5xx_forcesANewEcsDeployment() {
        TestEvidence incident = TestEvidence.on(ResourceKind.ECS_SERVICE,
                "ecs-service:arn:aws:ecs:eu-west-1:123456789012:service/shop/checkout", "checkout", Layer.PLATFORM)
                .rule("high-error-ratio", 0.45)
                .logPattern("crash-loop", 14)
                .learned("aws.ecs.service.running_task_count", 0)
                .alarm("api-5xx-rate");

        Diagnosis diagnosis = expect(incident, "http-5xx", "ecs-5xx-crash-loop", "aws.ecs.force-new-deployment");

        assertThat(diagnosis.getDiagnoser()).isEqualTo("rules");
        assertThat(diagnosis.getSignature()).contains("pattern:crash-loop", "kind:ECS_SERVICE");
    }

    @Test
    void diskPressure_onAProcess_cleansItsLogDir_onAnInstance_runsTheSsmCleanup() {
        TestEvidence process = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/checkout", "checkout",
                Layer.INFRASTRUCTURE).rule("log-dir-nearly-full", 0.93, Map.of("log.dir", "/var/log/checkout"));
        TestEvidence instance = TestEvidence.on(ResourceKind.EC2_INSTANCE, "ec2-instance:i-0abc1234def567890",
                "batch", Layer.INFRASTRUCTURE)
                .learned("system.filesystem.utilization", 0.97)
                .logPattern("no-space-left", 30)
                .alarm("disk-usage-high");

        expect(process, "disk-pressure", "clean-log-dir", "process.remove-files");
        Decision clean = catalog.decide(diagnoser.diagnose(process.resource(), process.anomalies()),
                process.resource(), process.anomalies(), minConfidence);
        assertThat(clean.parameters()).containsEntry("directory", "/var/log/checkout");
        Diagnosis learned = expect(instance, "disk-pressure", "disk-pressure-instance", "aws.ssm.run-cleanup");
        assertThat(learned.getDiagnoser()).startsWith("model:");
    }

    @Test
    void securityGroupDriftEvent_isConfigDrift_revokesTheOpenIngress() {
        TestEvidence incident = TestEvidence.on(ResourceKind.CLOUD_RESOURCE, "aws:ec2:security-group/sg-0abc123",
                "edge", Layer.NETWORK)
                .rule("security-group-open-ingress", 0, Map.of("config.rule", "vpc-sg-open-only-to-authorized-ports",
                        "security_group.id", "sg-0abc123", "ingress.protocol", "tcp", "ingress.from_port", "22",
                        "ingress.to_port", "22"))
                .cloudTrail("AuthorizeSecurityGroupIngress");

        expect(incident, "config-drift", "security-group-drift", "aws.ec2.revoke-open-ingress");
        Decision decision = catalog.decide(diagnoser.diagnose(incident.resource(), incident.anomalies()),
                incident.resource(), incident.anomalies(), minConfidence);
        assertThat(decision.parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("group-id", "sg-0abc123",
                "protocol", "tcp", "from-port", "22", "to-port", "22"));
    }

    @Test
    void certificateExpiry_opensATicket() {
        TestEvidence incident = TestEvidence.on(ResourceKind.CLOUD_RESOURCE,
                "aws:acm:certificate/7f3c-shop-example-com", "shop-edge", Layer.NETWORK)
                .rule("certificate-expires-soon", 6)
                .alarm("certificate-expiring");

        expect(incident, "certificate-expiry", "certificate-expiry", "ticket.jira");
    }

    @Test
    void jvmHeapPressure_onAPod_restartsTheRollout() {
        TestEvidence incident = TestEvidence.on(ResourceKind.K8S_POD, "k8s-pod:shop/checkout-7d9f8b-x2x9q",
                "checkout", Layer.APPLICATION)
                .rule("jvm-heap-nearly-full", 0.94)
                .learned("process.runtime.jvm.gc.duration", 0.8);

        expect(incident, "jvm-heap-pressure", "jvm-heap-pressure", "k8s.rollout-restart");
    }

    @Test
    void consumerLagWithMemoryLeak_isMemoryLeak_proposesARolloutRestart() {
        TestEvidence incident = TestEvidence.on(ResourceKind.K8S_POD, "k8s-pod:shop/order-consumer-5c7d-abcde",
                "order-consumer", Layer.APPLICATION)
                .learned("messaging.kafka.consumer.lag", 52_000)
                .learned("container.memory.usage", 1.9e9)
                .logPattern("oom-killed", 3);

        Diagnosis diagnosis = expect(incident, "memory-leak", "consumer-lag-memory-leak", "k8s.rollout-restart");

        assertThat(diagnosis.getDiagnoser()).isEqualTo("model:" + diagnoser.version());
        assertThat(catalog.forIncident("memory-leak", ResourceKind.K8S_POD).orElseThrow().mode())
                .isEqualTo(ExecutionMode.NEEDS_APPROVAL);
    }

    @Test
    void ddosSurgeFromABadNetwork_isNetworkDdos_blocksTheSourceCidr() {
        TestEvidence incident = TestEvidence.on(ResourceKind.CLOUD_RESOURCE,
                "aws:elasticloadbalancing:loadbalancer/app/shop/50dc6c495c0c9188", "shop-alb", Layer.NETWORK)
                .threat("possible-ddos", Map.of("threat.source_network", "203.0.113.0/24"))
                .learned("aws.elb.request_count", 180_000);

        Diagnosis diagnosis = expect(incident, "network-ddos", "ddos-surge", "aws.wafv2.block-cidr");

        assertThat(diagnosis.getSignature()).contains("threat:possible-ddos");
        assertThat(catalog.decide(diagnosis, incident.resource(), incident.anomalies(), minConfidence).parameters())
                .containsEntry("cidr", "203.0.113.0/24");
    }

    @Test
    void flashCrowdOfNormalClients_isNotDdos_andProposesNothing() {
        TestEvidence incident = TestEvidence.on(ResourceKind.CLOUD_RESOURCE,
                "aws:elasticloadbalancing:loadbalancer/app/shop/50dc6c495c0c9188", "shop-alb", Layer.NETWORK)
                .threat("flash-crowd", Map.of("threat.source_network", "198.51.100.0/24"))
                .learned("aws.elb.request_count", 150_000)
                .learned("http.server.request.duration", 0.9);

        Diagnosis diagnosis = diagnoser.diagnose(incident.resource(), incident.anomalies());

        assertThat(diagnosis.getIncidentType()).isNotEqualTo("network-ddos").isEqualTo("unknown");
        assertThat(diagnosis.getAlternatives().getOrDefault("network-ddos", 0.0)).isLessThan(minConfidence);
        assertThat(catalog.decide(diagnosis, incident.resource(), incident.anomalies(), minConfidence)
                .issuesCommand()).isFalse();
    }

    @Test
    void dbIoErrors_onTheDatabase_withItsCallersFailing_isDbDegradation_restartsTheDatabase() {
        TestEvidence database = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:db-host/orders-db", "orders-db",
                Layer.DATA)
                .rule("db-io-errors", 0.35)
                .learned("db.server.query.duration.p99", 2.5);
        for (String caller : new String[] {"checkout", "payments", "shipping"}) {
            database.with(TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/" + caller, caller,
                    Layer.APPLICATION).rule("high-error-ratio", 0.4));
        }

        Diagnosis diagnosis = expect(database, "db-degradation", "restart-db-on-io-errors", "process.restart");

        assertThat(diagnosis.getRootCause()).isEqualTo("process:db-host/orders-db");
        assertThat(diagnosis.getDiagnoser()).isEqualTo("rules");
    }

    @Test
    void dbDegradation_withoutADbRule_isStillRecognizedFromTheSignature_notTheCallersRules() {
        TestEvidence database = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:db-host/orders-db", "orders-db",
                Layer.DATA)
                .learned("db.server.io.error_ratio", 0.3)
                .learned("db.server.query.duration.p99", 2.5);
        for (String caller : new String[] {"checkout", "payments", "shipping"}) {
            database.with(TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/" + caller, caller,
                    Layer.APPLICATION).rule("high-error-ratio", 0.4));
        }

        Diagnosis diagnosis = expect(database, "db-degradation", "restart-db-on-io-errors", "process.restart");

        assertThat(diagnosis.getDiagnoser()).startsWith("model:");
        assertThat(diagnosis.getAlternatives()).doesNotContainKey("db-degradation");
    }

    @Test
    void lambdaErrorSpikeAfterADeploy_isBadDeploy_rollsBackTheAlias() {
        TestEvidence incident = TestEvidence.on(ResourceKind.LAMBDA_FUNCTION, "lambda:eu-west-1/checkout-api",
                "checkout-api", Layer.APPLICATION)
                .learned("aws.lambda.errors", 120)
                .cloudTrail("UpdateFunctionCode");

        Diagnosis diagnosis = expect(incident, "bad-deploy", "lambda-errors-after-deploy", "aws.lambda.rollback-alias");

        assertThat(catalog.decide(diagnosis, incident.resource(), incident.anomalies(), minConfidence).parameters())
                .containsEntry("alias", "live");
    }

    @Test
    void unhealthyInstance_rebootsIt() {
        TestEvidence incident = TestEvidence.on(ResourceKind.EC2_INSTANCE, "ec2-instance:i-0abc1234def567890",
                "api", Layer.INFRASTRUCTURE)
                .rule("instance-status-check-failed", 1)
                .learned("aws.elb.unhealthy_host_count", 1);

        expect(incident, "unhealthy-instance", "unhealthy-instance", "aws.ec2.reboot");
    }

    @Test
    void openCircuitBreakerAndExhaustedPool_isPoolExhaustion_restartsTheRollout() {
        TestEvidence incident = TestEvidence.on(ResourceKind.K8S_POD, "k8s-pod:shop/payments-6b8c-qwert",
                "payments", Layer.APPLICATION)
                .rule("circuit-breaker-open", 1, Map.of("state", "open", "name", "ledger-db"))
                .learned("db.client.connection.pending_requests", 40)
                .logPattern("pool-timeout", 25);

        expect(incident, "pool-exhaustion", "exhausted-connection-pool", "k8s.rollout-restart");
    }

    @Test
    void predictedExhaustion_fromTheForecaster_proposesCapacity() {
        TestEvidence incident = TestEvidence.on(ResourceKind.EC2_INSTANCE, "ec2-instance:i-0fed9876cba543210",
                "ingest", Layer.INFRASTRUCTURE)
                .forecast("system.filesystem.utilization", 0.82);

        Diagnosis diagnosis = expect(incident, "predicted-exhaustion", "predicted-exhaustion",
                "aws.autoscaling.set-desired-capacity");

        assertThat(diagnosis.getSignature()).contains("detector-kind:forecast", "signal-suffix:utilization");
    }

    @Test
    void unhealthyEndpoint_shiftsTrafficAway() {
        TestEvidence incident = TestEvidence.on(ResourceKind.CLOUD_RESOURCE,
                "aws:route53:healthcheck/4a2e-eu-west-1-api", "api-eu", Layer.NETWORK)
                .rule("endpoint-health-check-failing", 0)
                .learned("probe.success", 0);

        expect(incident, "unhealthy-endpoint", "unhealthy-endpoint", "aws.route53.shift-weight");
    }

    @Test
    void failedBackupVerification_isBackupFailure_opensAServiceNowIncident() {
        TestEvidence incident = TestEvidence.on(ResourceKind.CLOUD_RESOURCE,
                "aws:backup:backup-plan/orders-db-nightly", "orders-db", Layer.DATA)
                .rule("backup-verification-failed", 0)
                .alarm("backup-job-failed");

        expect(incident, "backup-failure", "backup-verification-failed", "ticket.servicenow");
    }

    @Test
    void k8sPodCrashLoop_deletesThePod() {
        TestEvidence incident = TestEvidence.on(ResourceKind.K8S_POD, "k8s-pod:shop/cart-8f9d-zzz11", "cart",
                Layer.PLATFORM)
                .learned("k8s.container.restarts", 6)
                .logPattern("crash-loop", 9)
                .logPattern("back-off", 4);

        expect(incident, "crash-loop", "k8s-pod-crash-loop", "k8s.delete-pod");
    }

    /**
     * Diagnoses the incident and checks: the type; a confident enough diagnosis with its signature; a command from
     * the expected detect playbook and action; the worker's playbook of that name triggered by that type.
     */
    private static Diagnosis expect(TestEvidence incident, String type, String playbook, String action) {
        Diagnosis diagnosis = diagnoser.diagnose(incident.resource(), incident.anomalies());

        assertThat(diagnosis.getIncidentType()).as(diagnosis.getSummary()).isEqualTo(type);
        assertThat(diagnosis.getConfidence()).as(diagnosis.getSummary()).isGreaterThanOrEqualTo(minConfidence);
        assertThat(diagnosis.getSignature()).isNotEmpty().isSorted();
        Decision decision = catalog.decide(diagnosis, incident.resource(), incident.anomalies(), minConfidence);
        assertThat(decision.withheldReason()).isNull();
        assertThat(decision.playbook().name()).isEqualTo(playbook);
        assertThat(decision.playbook().action()).isEqualTo(action);
        ActPlaybooks.ActPlaybook workerPlaybook = worker.get(playbook);
        assertThat(workerPlaybook).as("act playbook " + playbook).isNotNull();
        assertThat(workerPlaybook.incidentType()).isEqualTo(type);
        assertThat(workerPlaybook.actions()).contains(action);
        return diagnosis;
    }
}
