package io.autonomic.act.guard;

import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autonomic.act.testing.KafkaTopics;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.ControlSignal;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControlTopicListenerTest {

    private static ControlSignal killSwitch(boolean enabled) {
        return ControlSignal.newBuilder().setName("kill-switch").setEnabled(enabled).setActor("oncall")
                .setReason("test").setAtMillis(T0.toEpochMilli()).build();
    }

    @Test
    void signalWrittenBeforeStart_isKnownEngagedOnceCaughtUp_andChangesApplyWithinASecond() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics topics = KafkaTopics.unique("control");
        KafkaTestClients.produce(bootstrap, topics.control(), "kill-switch", killSwitch(true));
        KillSwitch killSwitch = KillSwitch.unknown();

        try (ControlTopicListener listener = ControlTopicListener.start(bootstrap, topics.control(), killSwitch)) {
            assertThat(listener.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(killSwitch.isKnown()).isTrue();
            assertThat(killSwitch.isEngaged()).isTrue();

            KafkaTestClients.produce(bootstrap, topics.control(), "kill-switch", killSwitch(false));
            // the listener polls every 100 ms; the margin is for a loaded CI machine
            await().atMost(Duration.ofSeconds(5)).until(() -> !killSwitch.isEngaged());

            KafkaTestClients.produce(bootstrap, topics.control(), "kill-switch", killSwitch(true));
            await().atMost(Duration.ofSeconds(5)).until(killSwitch::isEngaged);

            KafkaTestClients.produce(bootstrap, topics.control(), "kill-switch", null);
            await().atMost(Duration.ofSeconds(5)).until(() -> !killSwitch.isEngaged());
        }
    }

    @Test
    void emptyControlTopic_knownReleased() throws Exception {
        Topics topics = KafkaTopics.unique("control-empty");
        KillSwitch killSwitch = KillSwitch.unknown();

        try (ControlTopicListener listener = ControlTopicListener.start(SharedKafka.bootstrapServers(),
                topics.control(), killSwitch)) {
            assertThat(killSwitch.awaitKnown(Duration.ofSeconds(30))).isTrue();
            assertThat(killSwitch.isEngaged()).isFalse();
        }
    }
}
