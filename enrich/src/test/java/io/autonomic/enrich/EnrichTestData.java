package io.autonomic.enrich;

import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixed instants and record factories shared by the enrich tests. */
final class EnrichTestData {

    static final Instant BEGINNING = Instant.parse("2025-01-01T00:00:00Z");
    static final String TOPOLOGY_TOPIC = "autonomic.topology";

    private EnrichTestData() {
    }

    static TelemetryPoint point(String service, String resourceId, String metric, long timestampMillis, double value) {
        Resource resource = Resource.newBuilder()
                .setId(resourceId)
                .setKind(ResourceKind.HOST_PROCESS)
                .setService(service)
                .setAttributes(new LinkedHashMap<>())
                .build();
        return TelemetryPoint.newBuilder()
                .setResource(resource)
                .setMetric(metric)
                .setSeriesKey(resourceId + "|" + metric)
                .setTimestampMillis(timestampMillis)
                .setValue(value)
                .build();
    }

    static TopologyEntry entry(String service, Layer layer, String owner, List<String> dependencies,
            Map<String, String> tags) {
        return TopologyEntry.newBuilder()
                .setService(service)
                .setLayer(layer)
                .setOwner(owner)
                .setDependencies(new ArrayList<>(dependencies))
                .setTags(new LinkedHashMap<>(tags))
                .build();
    }

    static KafkaRecord topologyRecord(long offset, String key, TopologyEntry entryOrNull) {
        return topologyRecord(offset, key, AvroSerde.of(TopologyEntry.class).encode(entryOrNull));
    }

    static KafkaRecord topologyRecord(long offset, String key, byte[] value) {
        return new KafkaRecord(TOPOLOGY_TOPIC, 0, offset, BEGINNING.toEpochMilli(),
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }
}
