package io.autonomic.act.testing;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.SharedKafka;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Per-test topic names on the shared broker, created up front (compacted where the catalog says so). */
public final class KafkaTopics {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private KafkaTopics() {
    }

    /** The worker's eight topics under names unique to this test; created before returning. */
    public static Topics unique(String testName) throws InterruptedException {
        String suffix = "." + testName + "-" + SEQUENCE.incrementAndGet();
        Topics topics = Topics.withOverrides(Map.of(
                "commands", "act.commands" + suffix,
                "audit", "act.audit" + suffix,
                "health", "act.health" + suffix,
                "control", "act.control" + suffix,
                "dead-letters", "act.dead-letters" + suffix,
                "outcomes", "act.outcomes" + suffix,
                "approvals", "act.approvals" + suffix,
                "executions", "act.executions" + suffix));
        List<Topic<?, ?>> used = List.of(topics.commands(), topics.audit(), topics.health(), topics.control(),
                topics.deadLetters(), topics.outcomes(), topics.approvals(), topics.executions());
        TopicAdmin.ensureTopics(SharedKafka.bootstrapServers(), used, 1, (short) 1);
        return topics;
    }

    /** The {@code --topic.<id>=<name>} options naming the same topics. */
    public static Map<String, String> asOptions(Topics topics) {
        return Map.of(
                "topic.commands", topics.commands().name(),
                "topic.audit", topics.audit().name(),
                "topic.health", topics.health().name(),
                "topic.control", topics.control().name(),
                "topic.dead-letters", topics.deadLetters().name(),
                "topic.outcomes", topics.outcomes().name(),
                "topic.approvals", topics.approvals().name(),
                "topic.executions", topics.executions().name());
    }
}
