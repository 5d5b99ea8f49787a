package io.autonomic.act.guard;

import io.autonomic.act.kafka.CompactedTopicReader;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ControlSignal;
import java.time.Duration;
import java.util.Objects;

/**
 * Feeds the {@link KillSwitch} from the compacted control topic. A {@code kill-switch} signal sets it; a tombstone
 * for the {@code kill-switch} key releases it (the signal was deleted). Reading starts at the beginning of the
 * topic, and the switch becomes known once the listener has caught up, so a switch engaged before the worker
 * started is honoured from its first command. Changes arrive within one poll (100 ms) of being committed.
 */
public final class ControlTopicListener implements AutoCloseable {

    private final CompactedTopicReader<ControlSignal> reader;

    private ControlTopicListener(CompactedTopicReader<ControlSignal> reader) {
        this.reader = reader;
    }

    public static ControlTopicListener start(String bootstrapServers, Topic<String, ControlSignal> controlTopic,
            KillSwitch killSwitch) {
        Objects.requireNonNull(killSwitch, "killSwitch");
        Applier applier = new Applier(killSwitch);
        CompactedTopicReader<ControlSignal> reader = CompactedTopicReader.start(bootstrapServers, controlTopic,
                applier::onRecord, applier::onCaughtUp);
        return new ControlTopicListener(reader);
    }

    /**
     * Until the topic is caught up only the latest kill-switch record is remembered: applying older ones on the
     * way would briefly report a stale "released" that a command could slip through.
     */
    static final class Applier {
        private final KillSwitch killSwitch;
        private boolean caughtUp;
        private boolean seen;
        private boolean engaged;
        private String actor;
        private String reason;

        Applier(KillSwitch killSwitch) {
            this.killSwitch = killSwitch;
        }

        void onRecord(String key, ControlSignal signal) {
            if (signal == null && !KillSwitch.SIGNAL_NAME.equals(key)) {
                return;
            }
            if (signal != null && !KillSwitch.SIGNAL_NAME.equals(signal.getName())) {
                return;
            }
            seen = true;
            engaged = signal != null && signal.getEnabled();
            actor = signal == null ? "control-topic" : signal.getActor();
            reason = signal == null ? "kill-switch signal deleted" : signal.getReason();
            if (caughtUp) {
                killSwitch.set(engaged, actor, reason);
            }
        }

        void onCaughtUp() {
            caughtUp = true;
            if (seen) {
                killSwitch.set(engaged, actor, reason);
            } else {
                killSwitch.markKnown();
            }
        }
    }

    /** Waits until the control topic has been read up to where it stood at start. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return reader.awaitCaughtUp(timeout);
    }

    @Override
    public void close() throws InterruptedException {
        reader.close();
    }
}
