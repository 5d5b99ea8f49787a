package io.autonomic.models.diagnosis;

import static io.autonomic.schemas.avro.Layer.APPLICATION;
import static io.autonomic.schemas.avro.Layer.DATA;
import static io.autonomic.schemas.avro.Layer.INFRASTRUCTURE;
import static io.autonomic.schemas.avro.Layer.NETWORK;
import static io.autonomic.schemas.avro.Layer.PLATFORM;
import static io.autonomic.schemas.avro.ResourceKind.CLOUD_RESOURCE;
import static io.autonomic.schemas.avro.ResourceKind.EC2_INSTANCE;
import static io.autonomic.schemas.avro.ResourceKind.ECS_SERVICE;
import static io.autonomic.schemas.avro.ResourceKind.ECS_TASK;
import static io.autonomic.schemas.avro.ResourceKind.HOST_PROCESS;
import static io.autonomic.schemas.avro.ResourceKind.K8S_DEPLOYMENT;
import static io.autonomic.schemas.avro.ResourceKind.K8S_NODE;
import static io.autonomic.schemas.avro.ResourceKind.K8S_POD;
import static io.autonomic.schemas.avro.ResourceKind.LAMBDA_FUNCTION;
import static io.autonomic.schemas.avro.ResourceKind.SERVICE;

import io.autonomic.models.diagnosis.SeedFamily.Placement;
import io.autonomic.models.diagnosis.SeedFamily.Signal;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed failure families: the demo's fault scenarios and the common cloud failures the shipped playbooks fix.
 * Metric names follow OpenTelemetry semantic conventions or the CloudWatch metric they are ingested from; log
 * patterns are the {@code pattern} attribute of {@code log.pattern.count}; cloud events are {@code
 * aws.cloudwatch.alarm.state} ({@code alarm.name}), {@code aws.config.compliance} ({@code config.rule}) and {@code
 * aws.cloudtrail.event} ({@code event.name}). Rule detectors are the rules of detect's default configuration.
 */
public final class SeedFamilies {

    static final String LEARNED = "ewma-zscore";
    static final String FORECAST = "exhaustion-forecast";
    static final String THREAT = "threat:source-surge";

    /** Signals that show up in any incident without saying what it is. */
    static final List<String> NOISE_METRICS = List.of("process.cpu.utilization", "system.network.io",
            "http.server.request.duration", "process.runtime.jvm.threads.count", "container.cpu.usage",
            "system.cpu.load_average.1m", "http.client.request.duration", "process.open_file_descriptor.count",
            "system.paging.operations", "kafka.producer.record_send_rate");

    public static final List<SeedFamily> ALL = List.of(
            family("ecs-5xx-crash-loop", "http-5xx",
                    List.of(at(ECS_SERVICE, PLATFORM, "ecs-5xx-crash-loop", 0.6),
                            at(HOST_PROCESS, APPLICATION, "restart-on-5xx", 0.4)),
                    rule("http.server.error_ratio", "high-error-ratio", 0.9),
                    log("crash-loop", 0.6),
                    learned("aws.ecs.service.running_task_count", 0.6, ECS_SERVICE),
                    alarm("api-5xx-rate", 0.4),
                    learned("http.server.request.duration", 0.4)),
            family("k8s-pod-crash-loop", "crash-loop",
                    List.of(at(K8S_POD, PLATFORM, "k8s-pod-crash-loop", 1)),
                    learned("k8s.container.restarts", 0.9),
                    log("crash-loop", 0.8),
                    log("back-off", 0.5),
                    rule("http.server.error_ratio", "high-error-ratio", 0.25)),
            family("disk-pressure", "disk-pressure",
                    List.of(at(HOST_PROCESS, INFRASTRUCTURE, "clean-log-dir", 0.5),
                            at(EC2_INSTANCE, INFRASTRUCTURE, "disk-pressure-instance", 0.5)),
                    rule("process.log_dir.utilization", "log-dir-nearly-full", 0.85, HOST_PROCESS),
                    learned("system.filesystem.utilization", 0.6),
                    log("no-space-left", 0.4),
                    alarm("disk-usage-high", 0.3)),
            family("security-group-drift", "config-drift",
                    List.of(at(CLOUD_RESOURCE, NETWORK, "security-group-drift", 1)),
                    new Signal(List.of("aws.config.compliance"), "rule:security-group-open-ingress",
                            Map.of("config.rule", "vpc-sg-open-only-to-authorized-ports"), 0.85, Set.of(), false),
                    new Signal(List.of("aws.config.compliance"), LEARNED, Map.of("config.rule", "restricted-ssh"),
                            0.35, Set.of(), false),
                    event("AuthorizeSecurityGroupIngress", 0.6)),
            family("certificate-expiry", "certificate-expiry",
                    List.of(at(CLOUD_RESOURCE, NETWORK, "certificate-expiry", 0.7),
                            at(SERVICE, NETWORK, "certificate-expiry", 0.3)),
                    rule("tls.certificate.days_remaining", "certificate-expires-soon", 0.8),
                    learned("aws.acm.certificate.days_to_expiry", 0.4),
                    alarm("certificate-expiring", 0.4),
                    log("certificate-expired", 0.2)),
            family("jvm-heap-pressure", "jvm-heap-pressure",
                    List.of(at(HOST_PROCESS, APPLICATION, "restart-on-heap-pressure", 0.5),
                            at(K8S_POD, APPLICATION, "jvm-heap-pressure", 0.5)),
                    rule("process.runtime.jvm.memory.utilization", "jvm-heap-nearly-full", 0.85),
                    learned("process.runtime.jvm.gc.duration", 0.6),
                    log("gc-overhead", 0.3),
                    learned("http.server.request.duration", 0.4)),
            family("consumer-lag-memory-leak", "memory-leak",
                    List.of(at(K8S_POD, APPLICATION, "consumer-lag-memory-leak", 0.7),
                            at(ECS_TASK, APPLICATION, "", 0.3)),
                    learned("messaging.kafka.consumer.lag", 0.85),
                    learnedAny(0.8, "container.memory.usage", "process.memory.usage"),
                    log("oom-killed", 0.6),
                    learned("k8s.container.restarts", 0.4, K8S_POD)),
            family("ddos-surge", "network-ddos",
                    List.of(at(CLOUD_RESOURCE, NETWORK, "ddos-surge", 0.7), at(SERVICE, NETWORK, "ddos-surge", 0.3)),
                    new Signal(List.of("http.server.request.rate"), THREAT, Map.of("threat.verdict", "possible-ddos"),
                            0.95, Set.of(), false),
                    learned("aws.elb.request_count", 0.6),
                    rule("http.server.error_ratio", "high-error-ratio", 0.3),
                    learned("aws.wafv2.blocked_requests", 0.3)),
            // A legitimate surge: same shape, normal clients. It must go to humans (or autoscaling), never to WAF.
            family("flash-crowd", "unknown",
                    List.of(at(CLOUD_RESOURCE, NETWORK, "", 0.7), at(SERVICE, NETWORK, "", 0.3)),
                    new Signal(List.of("http.server.request.rate"), THREAT, Map.of("threat.verdict", "flash-crowd"),
                            0.95, Set.of(), false),
                    learned("aws.elb.request_count", 0.6),
                    learned("http.server.request.duration", 0.4),
                    rule("http.server.error_ratio", "high-error-ratio", 0.2)),
            family("db-io-errors", "db-degradation",
                    List.of(at(HOST_PROCESS, DATA, "restart-db-on-io-errors", 0.6),
                            at(CLOUD_RESOURCE, DATA, "db-io-errors", 0.4)),
                    rule("db.server.io.error_ratio", "db-io-errors", 0.85),
                    learned("db.server.query.duration.p99", 0.75),
                    new Signal(List.of("http.server.error_ratio"), "rule:high-error-ratio", Map.of(), 0.6, Set.of(),
                            true),
                    new Signal(List.of("db.client.operation.duration"), LEARNED, Map.of(), 0.4, Set.of(), true),
                    log("io-error", 0.4)),
            family("lambda-errors-after-deploy", "bad-deploy",
                    List.of(at(LAMBDA_FUNCTION, APPLICATION, "lambda-errors-after-deploy", 1)),
                    learnedAny(0.9, "aws.lambda.errors", "faas.errors"),
                    new Signal(List.of("aws.cloudtrail.event"), LEARNED, Map.of("event.name", "UpdateFunctionCode"),
                            0.6, Set.of(), false),
                    new Signal(List.of("aws.cloudtrail.event"), LEARNED, Map.of("event.name", "UpdateAlias"), 0.4,
                            Set.of(), false),
                    learned("aws.lambda.duration", 0.3),
                    alarm("lambda-error-rate", 0.3)),
            family("unhealthy-instance", "unhealthy-instance",
                    List.of(at(EC2_INSTANCE, INFRASTRUCTURE, "unhealthy-instance", 1)),
                    rule("aws.ec2.status_check_failed", "instance-status-check-failed", 0.85),
                    learned("aws.elb.unhealthy_host_count", 0.5),
                    alarm("ec2-status-check-failed", 0.4),
                    learned("system.cpu.utilization", 0.2)),
            family("pool-exhaustion", "pool-exhaustion",
                    List.of(at(K8S_POD, APPLICATION, "exhausted-connection-pool", 0.5),
                            at(K8S_DEPLOYMENT, APPLICATION, "open-circuit-breaker", 0.25),
                            at(HOST_PROCESS, APPLICATION, "", 0.25)),
                    learned("db.client.connection.pending_requests", 0.8),
                    learned("db.client.connection.count", 0.5),
                    new Signal(List.of("resilience4j.circuitbreaker.state"), "rule:circuit-breaker-open",
                            Map.of("state", "open"), 0.55, Set.of(), false),
                    log("pool-timeout", 0.5),
                    log("circuit-open", 0.4),
                    rule("http.server.error_ratio", "high-error-ratio", 0.4)),
            family("predicted-exhaustion", "predicted-exhaustion",
                    List.of(at(EC2_INSTANCE, INFRASTRUCTURE, "predicted-exhaustion", 0.4),
                            at(K8S_NODE, INFRASTRUCTURE, "predicted-exhaustion", 0.3),
                            at(HOST_PROCESS, INFRASTRUCTURE, "predicted-exhaustion", 0.3)),
                    new Signal(List.of("system.filesystem.utilization", "system.memory.utilization",
                            "process.log_dir.utilization", "db.client.connection.utilization"), FORECAST, Map.of(),
                            1.0, Set.of(), false),
                    new Signal(List.of("system.memory.utilization", "system.filesystem.utilization"), FORECAST,
                            Map.of(), 0.3, Set.of(), false),
                    learned("system.cpu.utilization", 0.2)),
            family("unhealthy-endpoint", "unhealthy-endpoint",
                    List.of(at(CLOUD_RESOURCE, NETWORK, "unhealthy-endpoint", 1)),
                    rule("aws.route53.health_check_status", "endpoint-health-check-failing", 0.85),
                    learnedAny(0.5, "probe.success", "http.check.status"),
                    alarm("endpoint-health-check", 0.4),
                    learned("http.client.request.duration", 0.3)),
            family("backup-verification-failed", "backup-failure",
                    List.of(at(CLOUD_RESOURCE, DATA, "backup-verification-failed", 1)),
                    rule("backup.verification.success", "backup-verification-failed", 0.85),
                    learned("aws.backup.jobs_failed", 0.5),
                    alarm("backup-job-failed", 0.4),
                    log("restore-check-failed", 0.3)),
            // Baseline wobbles that no one could name: the classifier must learn to say "unknown" to these.
            family("unexplained", "unknown",
                    List.of(at(HOST_PROCESS, APPLICATION, "", 0.4), at(K8S_POD, APPLICATION, "", 0.3),
                            at(EC2_INSTANCE, INFRASTRUCTURE, "", 0.3)),
                    learnedAny(1.0, NOISE_METRICS.toArray(String[]::new)),
                    learnedAny(0.5, NOISE_METRICS.toArray(String[]::new))));

    private SeedFamilies() {
    }

    public static SeedFamily named(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no seed family " + name));
    }

    private static SeedFamily family(String name, String type, List<Placement> placements, Signal... signals) {
        return new SeedFamily(name, type, placements, Arrays.asList(signals));
    }

    private static Placement at(ResourceKind kind, Layer layer, String playbook, double weight) {
        return new Placement(kind, layer, playbook, weight);
    }

    private static Signal rule(String metric, String rule, double presence, ResourceKind... onlyOn) {
        return new Signal(List.of(metric), "rule:" + rule, Map.of(), presence, Set.of(onlyOn), false);
    }

    private static Signal learned(String metric, double presence, ResourceKind... onlyOn) {
        return new Signal(List.of(metric), LEARNED, Map.of(), presence, Set.of(onlyOn), false);
    }

    private static Signal learnedAny(double presence, String... metrics) {
        return new Signal(List.of(metrics), LEARNED, Map.of(), presence, Set.of(), false);
    }

    private static Signal log(String pattern, double presence) {
        return new Signal(List.of("log.pattern.count"), LEARNED, Map.of("pattern", pattern), presence, Set.of(), false);
    }

    private static Signal alarm(String name, double presence) {
        return new Signal(List.of("aws.cloudwatch.alarm.state"), LEARNED, Map.of("alarm.name", name), presence,
                Set.of(), false);
    }

    private static Signal event(String name, double presence) {
        return new Signal(List.of("aws.cloudtrail.event"), LEARNED, Map.of("event.name", name), presence, Set.of(),
                false);
    }
}
