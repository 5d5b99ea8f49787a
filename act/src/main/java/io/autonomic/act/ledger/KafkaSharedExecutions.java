package io.autonomic.act.ledger;

import io.autonomic.act.kafka.CompactedTopicReader;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ExecutionRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedExecutions} on the compacted executions topic: a background reader keeps the latest record per key
 * (from the beginning of the topic), and this worker's own writes are visible at once (read-your-writes).
 */
public final class KafkaSharedExecutions implements SharedExecutions, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSharedExecutions.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final Topic<String, ExecutionRecord> topic;
    private final KafkaProducer<String, ExecutionRecord> producer;
    private final Map<String, ExecutionRecord> latest = new ConcurrentHashMap<>();
    private final CompactedTopicReader<ExecutionRecord> reader;

    private KafkaSharedExecutions(String bootstrapServers, Topic<String, ExecutionRecord> topic, String clientId) {
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.reader = CompactedTopicReader.start(bootstrapServers, topic, (key, record) -> {
            if (record == null) {
                latest.remove(key);
            } else {
                latest.merge(key, record, (mine, read) -> read.getAtMillis() >= mine.getAtMillis() ? read : mine);
            }
        }, () -> { });
    }

    public static KafkaSharedExecutions start(String bootstrapServers, Topic<String, ExecutionRecord> topic,
            String workerId) {
        return new KafkaSharedExecutions(Objects.requireNonNull(bootstrapServers, "bootstrapServers"),
                Objects.requireNonNull(topic, "topic"), workerId + "-executions");
    }

    /** Waits until the topic has been read up to where it stood at start. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    @Override
    public Optional<ExecutionRecord> find(String idempotencyKey) {
        return Optional.ofNullable(latest.get(idempotencyKey));
    }

    @Override
    public void record(ExecutionRecord record, boolean waitForAck) {
        latest.put(record.getIdempotencyKey(), record);
        try {
            var sent = producer.send(new ProducerRecord<>(topic.name(), record.getIdempotencyKey(), record));
            if (waitForAck) {
                sent.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording " + record.getIdempotencyKey(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (waitForAck) {
                throw new IllegalStateException("execution record " + record.getIdempotencyKey() + " not acknowledged by "
                        + topic.name() + ": " + e.getMessage(), e);
            }
            LOG.error("execution record {} not sent to {}: {}", record.getIdempotencyKey(), topic.name(), e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        producer.close(Duration.ofSeconds(5));
        reader.close();
    }
}
