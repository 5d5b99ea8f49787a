package io.autonomic.act.testing;

import io.autonomic.act.verify.HealthView;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceHealth;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A health view tests set by hand. */
public final class TestingHealthView implements HealthView {

    private final Map<String, ResourceHealth> latest = new ConcurrentHashMap<>();

    public void put(ResourceHealth health) {
        latest.put(health.getResource().getId(), health);
    }

    public void put(String resourceId, HealthStatus status, Instant since) {
        put(health(resourceId, status, since));
    }

    public void remove(String resourceId) {
        latest.remove(resourceId);
    }

    @Override
    public int instancesOf(String service) {
        return (int) latest.values().stream().filter(h -> service.equals(h.getResource().getService())).count();
    }

    @Override
    public Optional<ResourceHealth> latest(String resourceId) {
        return Optional.ofNullable(latest.get(resourceId));
    }

    public static ResourceHealth health(String resourceId, HealthStatus status, Instant since) {
        return ResourceHealth.newBuilder()
                .setResource(Resource.newBuilder().setId(resourceId).build())
                .setStatus(status)
                .setSinceMillis(since.toEpochMilli())
                .setUpdatedAtMillis(since.toEpochMilli())
                .setReason(status == HealthStatus.HEALTHY ? "recovered" : "errors above threshold")
                .build();
    }
}
