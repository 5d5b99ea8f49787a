package io.autonomic.act.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.act.testing.KafkaTopics;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Approval;
import io.autonomic.schemas.testing.SharedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The CLI's publisher and the worker's listener through the real broker. */
class ApprovalPublisherTest {

    @Test
    void publish_isReadByTheListener() throws Exception {
        Topics topics = KafkaTopics.unique("approvals");
        String bootstrap = SharedKafka.bootstrapServers();
        List<Approval> received = new CopyOnWriteArrayList<>();
        Instant now = Instant.parse("2025-03-01T10:00:00Z");

        Approval sent = ApprovalPublisher.publish(bootstrap, topics, "cmd-42", "alice", "checked the dashboard",
                new MutableClock(now));
        try (ApprovalListener listener = ApprovalListener.start(bootstrap, topics.approvals(), received::add)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        }

        assertThat(received).containsExactly(sent);
        assertThat(sent.getAtMillis()).isEqualTo(now.toEpochMilli());
        assertThat(sent.getActor()).isEqualTo("alice");
    }
}
