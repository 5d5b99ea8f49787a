package io.autonomic.act.verify;

import static io.autonomic.act.testing.Commands.T0;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.testing.KafkaTopics;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.ResourceHealth;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class KafkaHealthViewTest {

    @Test
    void latest_followsTopicFromBeginning_latestWins_tombstoneRemoves_badRecordSkipped() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = KafkaTopics.unique("health-view");
        Topic<String, ResourceHealth> health = topics.health();
        // written before the view starts: must still be seen
        KafkaTestClients.produce(bootstrap, health, List.of(
                new ProducerRecord<>(health.name(), "a", TestingHealthView.health("a", HealthStatus.UNHEALTHY, T0)),
                new ProducerRecord<>(health.name(), "b", TestingHealthView.health("b", HealthStatus.UNHEALTHY, T0)),
                new ProducerRecord<>(health.name(), "a", TestingHealthView.health("a", HealthStatus.HEALTHY, T0.plusSeconds(5)))));
        KafkaTestClients.produce(bootstrap, new Topic<>("health", health.name(), Serdes.String(), Serdes.ByteArray(), true),
                "c", new byte[] {1, 2, 3});

        try (KafkaHealthView view = KafkaHealthView.start(bootstrap, health)) {
            assertThat(view.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(view.latest("a")).hasValueSatisfying(h -> {
                assertThat(h.getStatus()).isEqualTo(HealthStatus.HEALTHY);
                assertThat(h.getSinceMillis()).isEqualTo(T0.plusSeconds(5).toEpochMilli());
            });
            assertThat(view.latest("b")).isPresent();
            assertThat(view.latest("c")).isEmpty();

            KafkaTestClients.produce(bootstrap, health, "b", null);
            await().atMost(Duration.ofSeconds(10)).until(() -> view.latest("b").isEmpty());
            assertThat(view.size()).isEqualTo(1);
        }
    }

    @Test
    void awaitCaughtUp_missingTopic_countsAsCaughtUp() throws Exception {
        Topic<String, ResourceHealth> missing = Topics.defaults().health().withName("act.health.never-created-" + System.nanoTime());
        try (KafkaHealthView view = KafkaHealthView.start(SharedKafka.bootstrapServers(), missing)) {
            assertThat(view.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(view.latest("a")).isEmpty();
        }
    }
}
