package io.autonomic.act.audit;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.AuditEvent;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events to the audit topic keyed by resource id (so one resource's decisions stay in order), with
 * {@code acks=all} and idempotence. Sends are asynchronous; {@link #flush()} waits for them, and the worker
 * flushes before committing its command offsets.
 */
public final class KafkaAuditLog implements AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditLog.class);

    private final Topic<String, AuditEvent> topic;
    private final KafkaProducer<String, AuditEvent> producer;
    private final AtomicLong failedSends = new AtomicLong();

    public KafkaAuditLog(String bootstrapServers, Topic<String, AuditEvent> topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-audit");
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public void record(AuditEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), event.getResourceId(), event), (metadata, error) -> {
                if (error != null) {
                    failedSends.incrementAndGet();
                    LOG.error("audit event {} {} not written to {}: {}", event.getDecision(), event.getEventId(),
                            topic.name(), error.toString());
                }
            });
        } catch (RuntimeException e) {
            failedSends.incrementAndGet();
            LOG.error("audit event {} {} not sent to {}: {}", event.getDecision(), event.getEventId(), topic.name(),
                    e.toString());
        }
    }

    public long failedSends() {
        return failedSends.get();
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
