package io.autonomic.detect;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import java.util.Collection;

/** Topics for job tests on the shared broker. */
final class TestTopics {

    private TestTopics() {
    }

    /**
     * Creates the topics (one partition) and keeps their records regardless of age. Test records carry event times
     * from {@link TestPoints#BEGINNING}; with the broker's default 7-day time retention, a broker clock further on
     * deletes them at its next retention check, and a reader started after it finds the topic empty.
     */
    static void ensureKeptForever(String bootstrap, Collection<Topic<?, ?>> topics) throws Exception {
        TopicAdmin.ensureTopics(bootstrap, topics, 1, (short) 1);
        KafkaTestClients.keepForever(bootstrap, topics);
    }
}
