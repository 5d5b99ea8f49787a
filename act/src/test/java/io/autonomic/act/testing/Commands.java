package io.autonomic.act.testing;

import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TopologyContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fixed instants and command factories shared by the tests. */
public final class Commands {

    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    public static final String CHECKOUT = "process:host-1/checkout";

    private Commands() {
    }

    public static Resource resource(String id, String service) {
        return Resource.newBuilder()
                .setId(id)
                .setKind(ResourceKind.HOST_PROCESS)
                .setService(service)
                .setAttributes(Map.of("service.name", service, "host.name", "host-1"))
                .build();
    }

    public static TopologyContext context(String service, boolean autoRemediate, Map<String, String> tags) {
        return TopologyContext.newBuilder()
                .setFound(true)
                .setService(service)
                .setOwner("team-payments")
                .setTags(tags)
                .setDependencies(List.of())
                .setAutoRemediate(autoRemediate)
                .build();
    }

    /** An EXECUTE restart of checkout issued at {@code issuedAt}, valid ten minutes, verified within two. */
    public static RemediationCommand.Builder restart(String key, Instant issuedAt) {
        return command(key, "process.restart", CHECKOUT, "checkout", issuedAt, Map.of());
    }

    public static RemediationCommand.Builder command(String key, String action, String resourceId, String service,
            Instant issuedAt, Map<String, String> parameters) {
        Resource target = resource(resourceId, service);
        TopologyContext context = context(service, true, Map.of("team", "payments"));
        Incident incident = Incident.newBuilder()
                .setIncidentId("inc-" + key)
                .setStatus(IncidentStatus.OPEN)
                .setResource(target)
                .setContext(context)
                .setOpenedAtMillis(issuedAt.toEpochMilli())
                .setUpdatedAtMillis(issuedAt.toEpochMilli())
                .setDiagnosis(Diagnosis.newBuilder()
                        .setIncidentType("http-5xx")
                        .setSummary("error ratio above 20%")
                        .setConfidence(0.9)
                        .setRootCause(resourceId)
                        .build())
                .setEvidence(List.of())
                .setPlaybook("restart-on-5xx")
                .build();
        return RemediationCommand.newBuilder()
                .setCommandId("cmd-" + key)
                .setIdempotencyKey(key)
                .setIncident(incident)
                .setPlaybook("restart-on-5xx")
                .setAction(action)
                .setTarget(target)
                .setTargetContext(context)
                .setParameters(parameters)
                .setMode(ExecutionMode.EXECUTE)
                .setIssuedAtMillis(issuedAt.toEpochMilli())
                .setExpiresAtMillis(issuedAt.plus(Duration.ofMinutes(10)).toEpochMilli())
                .setVerifyWithinMillis(Duration.ofMinutes(2).toMillis());
    }
}
