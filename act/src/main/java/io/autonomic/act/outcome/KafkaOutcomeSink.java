package io.autonomic.act.outcome;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ActionOutcome;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes outcomes to the outcomes topic keyed by resource id, {@code acks=all}, idempotent, asynchronously. */
public final class KafkaOutcomeSink implements OutcomeSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaOutcomeSink.class);

    private final Topic<String, ActionOutcome> topic;
    private final KafkaProducer<String, ActionOutcome> producer;

    public KafkaOutcomeSink(String bootstrapServers, Topic<String, ActionOutcome> topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-outcomes");
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @Override
    public void record(ActionOutcome outcome) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), outcome.getResource().getId(), outcome), (metadata, error) -> {
                if (error != null) {
                    LOG.error("outcome {} of {} not written to {}: {}", outcome.getOutcome(), outcome.getIdempotencyKey(),
                            topic.name(), error.toString());
                }
            });
        } catch (RuntimeException e) {
            LOG.error("outcome {} of {} not sent to {}: {}", outcome.getOutcome(), outcome.getIdempotencyKey(),
                    topic.name(), e.toString());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
