package io.autonomic.detect;

import io.autonomic.schemas.Topic;
import io.autonomic.schemas.kafka.TopicAdmin;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

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
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            List<AlterConfigOp> keepForever = List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "-1"), AlterConfigOp.OpType.SET));
            Map<ConfigResource, Collection<AlterConfigOp>> changes = new java.util.HashMap<>();
            for (Topic<?, ?> topic : topics) {
                changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), new ArrayList<>(keepForever));
            }
            admin.incrementalAlterConfigs(changes).all().get();
        }
    }
}
