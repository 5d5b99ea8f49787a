package io.autonomic.act.kafka;

import io.autonomic.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a compacted topic on a daemon thread: reads every partition from the beginning without a consumer
 * group (each worker needs the whole table, not a share of it), hands each record to the handler (a null value is
 * a tombstone) and signals once it has caught up with the end offsets seen at start. Committed records only
 * (read_committed), since the Flink jobs write transactionally.
 *
 * <p>A missing topic counts as caught up (there is nothing to read); the reader keeps looking for it. Undecodable
 * records are logged and skipped: one bad record must not freeze the table.
 */
public final class CompactedTopicReader<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopicReader.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final Topic<String, V> topic;
    private final BiConsumer<String, V> handler;
    private final Runnable onCaughtUp;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong undecodable = new AtomicLong();
    private volatile boolean closing;

    private CompactedTopicReader(String bootstrapServers, Topic<String, V> topic, BiConsumer<String, V> handler,
            Runnable onCaughtUp) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.onCaughtUp = Objects.requireNonNull(onCaughtUp, "onCaughtUp");
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // an auto-created topic would not be compacted; leave creation to whoever owns the topic
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "autonomic-reader-" + topic.name());
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::loop, "compacted-reader-" + topic.name());
        this.thread.setDaemon(true);
    }

    /**
     * Starts following {@code topic}. The handler and {@code onCaughtUp} run on the reader's thread.
     */
    public static <V> CompactedTopicReader<V> start(String bootstrapServers, Topic<String, V> topic,
            BiConsumer<String, V> handler, Runnable onCaughtUp) {
        CompactedTopicReader<V> reader = new CompactedTopicReader<>(bootstrapServers, topic, handler, onCaughtUp);
        reader.thread.start();
        return reader;
    }

    /** Waits until the reader has read what the topic held when it started; true when it has. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long undecodableRecords() {
        return undecodable.get();
    }

    private void loop() {
        Map<TopicPartition, Long> endAtStart = null;
        try {
            while (!closing) {
                try {
                    if (consumer.assignment().isEmpty()) {
                        endAtStart = assign();
                        if (endAtStart == null) {
                            markCaughtUp();
                            stopped.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                            continue;
                        }
                    }
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        deliver(record);
                    }
                    if (caughtUp.getCount() > 0 && reached(endAtStart)) {
                        markCaughtUp();
                    }
                } catch (WakeupException e) {
                    if (!closing) {
                        LOG.warn("reader of {} woken up unexpectedly", topic.name());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("reading {} failed, retrying in {}: {}", topic.name(), RETRY, e.toString());
                    stopped.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition from the beginning; null when the topic does not exist (yet). */
    private Map<TopicPartition, Long> assign() {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(5));
        } catch (UnknownTopicOrPartitionException e) {
            return null;
        }
        if (partitions == null || partitions.isEmpty()) {
            return null;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(assigned);
        try {
            consumer.seekToBeginning(assigned);
            return new HashMap<>(consumer.endOffsets(assigned, Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            // without end offsets the reader could never tell it caught up: start over on the next round
            consumer.unsubscribe();
            throw e;
        }
    }

    private boolean reached(Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey(), Duration.ofSeconds(5)) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void markCaughtUp() {
        if (caughtUp.getCount() > 0) {
            // callback first: whoever waits on the latch must see what the callback applied
            try {
                onCaughtUp.run();
            } catch (RuntimeException e) {
                LOG.error("caught-up callback of {} failed", topic.name(), e);
            }
            caughtUp.countDown();
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        V value;
        try {
            value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            undecodable.incrementAndGet();
            LOG.warn("skipping undecodable record {}-{}@{} of {}: {}", record.topic(), record.partition(),
                    record.offset(), topic.name(), e.getMessage());
            return;
        }
        try {
            handler.accept(key, value);
        } catch (RuntimeException e) {
            LOG.error("handler of {} failed on record at offset {}", topic.name(), record.offset(), e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        stopped.countDown();
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
