package io.autonomic.schemas.kafka;

import io.autonomic.schemas.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the catalog's topics when missing, compacted ones with {@code cleanup.policy=compact}. */
public final class TopicAdmin {

    private TopicAdmin() {
    }

    public static void ensureTopics(String bootstrapServers, Collection<Topic<?, ?>> topics, int partitions,
            short replicationFactor) throws InterruptedException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : topics) {
                if (existing.contains(topic.name())) {
                    continue;
                }
                NewTopic newTopic = new NewTopic(topic.name(), partitions, replicationFactor);
                if (topic.compacted()) {
                    newTopic.configs(Map.of("cleanup.policy", "compact"));
                }
                missing.add(newTopic);
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topics at " + bootstrapServers + ": " + e.getCause(), e);
                }
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrapServers + " to create topics: " + e, e);
        }
    }
}
