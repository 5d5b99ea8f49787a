package io.autonomic.ingest.traces;

import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.ServiceEdge;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes {@link EdgeUpdate}s to the compacted service-edges topic: key {@code caller->callee}, value the edge in
 * the catalog's Avro format, or null for an expired edge so compaction removes it.
 */
public final class ServiceEdgeSerializer implements KafkaRecordSerializationSchema<EdgeUpdate> {

    private static final long serialVersionUID = 1L;
    private final String topic;
    private transient AvroSerde<ServiceEdge> serde;

    public ServiceEdgeSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(EdgeUpdate update, KafkaSinkContext context, Long timestamp) {
        if (serde == null) {
            serde = AvroSerde.of(ServiceEdge.class);
        }
        return new ProducerRecord<>(topic, null, timestamp, update.key.getBytes(StandardCharsets.UTF_8),
                update.expired ? null : serde.encode(update.edge));
    }
}
