package io.autonomic.act.approval;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Approval;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes one {@link Approval} to the approvals topic and waits until the broker has it (for the CLI). */
public final class ApprovalPublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private ApprovalPublisher() {
    }

    /** Approves the command now, by {@code actor}; returns the published record. */
    public static Approval publish(String bootstrap, Topics topics, String commandId, String actor, String reason) {
        return publish(bootstrap, topics, commandId, actor, reason, Clock.systemUTC());
    }

    static Approval publish(String bootstrap, Topics topics, String commandId, String actor, String reason,
            Clock clock) {
        if (commandId == null || commandId.isBlank()) {
            throw new IllegalArgumentException("commandId must not be blank");
        }
        Approval approval = Approval.newBuilder()
                .setCommandId(commandId.trim())
                .setActor(actor == null || actor.isBlank() ? "unknown" : actor)
                .setReason(reason == null ? "" : reason)
                .setAtMillis(clock.millis())
                .build();
        Topic<String, Approval> topic = topics.approvals();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrap, "bootstrap"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "autonomic-approve");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        try (KafkaProducer<String, Approval> producer = new KafkaProducer<>(props, topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), approval.getCommandId(), approval))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return approval;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the approval of " + commandId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish the approval of " + commandId + " to " + topic.name()
                    + ": " + e.getMessage(), e);
        }
    }
}
