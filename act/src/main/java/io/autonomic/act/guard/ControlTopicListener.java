package io.autonomic.act.guard;

import io.autonomic.act.kafka.CompactedTopicReader;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ControlSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Feeds the {@link KillSwitch} from the compacted control topic. A {@code kill-switch} signal sets it; a tombstone
 * for the {@code kill-switch} key releases it (the signal was deleted). Reading starts at the beginning of the
 * topic, and the switch becomes known once the listener has caught up, so a switch engaged before the worker
 * started is honoured from its first command. Changes arrive within one poll (100 ms) of being committed.
 */
public final class ControlTopicListener implements AutoCloseable {

    /** How long an override signal pauses automation when the worker is not told otherwise. */
    public static final Duration DEFAULT_OVERRIDE_DURATION = Duration.ofHours(1);

    private final CompactedTopicReader<ControlSignal> reader;

    private ControlTopicListener(CompactedTopicReader<ControlSignal> reader) {
        this.reader = reader;
    }

    public static ControlTopicListener start(String bootstrapServers, Topic<String, ControlSignal> controlTopic,
            KillSwitch killSwitch) {
        return start(bootstrapServers, controlTopic, killSwitch, new Overrides(), DEFAULT_OVERRIDE_DURATION);
    }

    /**
     * Also feeds human overrides: an enabled {@code override:<resourceId>} signal pauses automation on the resource
     * for {@code overrideDuration} from the signal's {@code atMillis}; a disabled one or a tombstone lifts it.
     */
    public static ControlTopicListener start(String bootstrapServers, Topic<String, ControlSignal> controlTopic,
            KillSwitch killSwitch, Overrides overrides, Duration overrideDuration) {
        Objects.requireNonNull(killSwitch, "killSwitch");
        Applier applier = new Applier(killSwitch, overrides, overrideDuration);
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
        private final Overrides overrides;
        private final Duration overrideDuration;
        private boolean caughtUp;
        private boolean seen;
        private boolean engaged;
        private String actor;
        private String reason;

        Applier(KillSwitch killSwitch) {
            this(killSwitch, new Overrides(), DEFAULT_OVERRIDE_DURATION);
        }

        Applier(KillSwitch killSwitch, Overrides overrides, Duration overrideDuration) {
            this.killSwitch = killSwitch;
            this.overrides = Objects.requireNonNull(overrides, "overrides");
            this.overrideDuration = Objects.requireNonNull(overrideDuration, "overrideDuration");
        }

        void onRecord(String key, ControlSignal signal) {
            String name = signal != null ? signal.getName() : key;
            if (name != null && name.startsWith(Overrides.SIGNAL_PREFIX)) {
                String resourceId = name.substring(Overrides.SIGNAL_PREFIX.length());
                if (signal == null || !signal.getEnabled()) {
                    overrides.clear(resourceId);
                } else {
                    // applied even before catching up: an override only ever holds automation back
                    overrides.set(resourceId, Instant.ofEpochMilli(signal.getAtMillis()).plus(overrideDuration),
                            signal.getActor(), signal.getReason());
                }
                return;
            }
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
