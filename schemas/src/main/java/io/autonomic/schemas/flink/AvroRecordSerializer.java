package io.autonomic.schemas.flink;

import io.autonomic.schemas.AvroSerde;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes Avro records in the topic catalog's format, keyed by a string taken from the record. */
public final class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private final String topic;
    private final Class<T> type;
    private final KeySelector<T, String> key;
    private transient AvroSerde<T> serde;

    public AvroRecordSerializer(String topic, Class<T> type, KeySelector<T, String> key) {
        this.topic = topic;
        this.type = type;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (serde == null) {
            serde = AvroSerde.of(type);
        }
        String k;
        try {
            k = key.getKey(element);
        } catch (Exception e) {
            throw new IllegalStateException("cannot take key of " + type.getSimpleName(), e);
        }
        return new ProducerRecord<>(topic, null, timestamp, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                serde.encode(element));
    }
}
