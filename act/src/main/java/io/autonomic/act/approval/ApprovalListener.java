package io.autonomic.act.approval;

import io.autonomic.act.kafka.CompactedTopicReader;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.Approval;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads the compacted approvals topic from its beginning and hands each approval to the worker. Every worker sees
 * every approval; only the one holding the pending command acts on it, and old approvals for commands no longer
 * pending are ignored there.
 */
public final class ApprovalListener implements AutoCloseable {

    private final CompactedTopicReader<Approval> reader;

    private ApprovalListener(CompactedTopicReader<Approval> reader) {
        this.reader = reader;
    }

    public static ApprovalListener start(String bootstrapServers, Topic<String, Approval> topic,
            Consumer<Approval> onApproval) {
        Objects.requireNonNull(onApproval, "onApproval");
        return new ApprovalListener(CompactedTopicReader.start(bootstrapServers, topic, (key, approval) -> {
            if (approval != null) {
                onApproval.accept(approval);
            }
        }, () -> { }));
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
