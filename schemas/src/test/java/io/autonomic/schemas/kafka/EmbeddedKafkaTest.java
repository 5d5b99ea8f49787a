package io.autonomic.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.ControlSignal;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void ensureTopics_thenRoundTripThroughCatalogSerdes() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = Topics.withOverrides(java.util.Map.of("control", "embedded-test.control"));
        TopicAdmin.ensureTopics(bootstrap, topics.all(), 1, (short) 1);
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.control()), 1, (short) 1); // idempotent

        ControlSignal signal = ControlSignal.newBuilder().setName("kill-switch").setEnabled(true).setAtMillis(1L).build();
        KafkaTestClients.produce(bootstrap, topics.control(), "kill-switch", signal);

        var read = KafkaTestClients.consumeUntil(bootstrap, topics.control(), r -> !r.isEmpty(), Duration.ofSeconds(30));
        assertThat(read).hasSize(1);
        assertThat(read.get(0).value()).isEqualTo(signal);
    }
}
