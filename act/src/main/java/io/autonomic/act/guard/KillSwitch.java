package io.autonomic.act.guard;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's emergency stop. While engaged, no command is executed. Its state lives in memory (read on every
 * command, so a change is effective for the next one) and is fed by a {@link ControlTopicListener} from the
 * compacted control topic. Until that listener has read the topic once, the state is unknown and the guard treats
 * it as engaged: a worker that just started must not act before it knows whether it is allowed to.
 */
public final class KillSwitch {

    /** The control-signal name (and record key) on the control topic. */
    public static final String SIGNAL_NAME = "kill-switch";

    private static final Logger LOG = LoggerFactory.getLogger(KillSwitch.class);

    /** A state change, as reported to listeners. */
    public record Change(boolean engaged, String actor, String reason) {
    }

    private enum State { UNKNOWN, ENGAGED, RELEASED }

    private final AtomicReference<State> state;
    private final CountDownLatch known = new CountDownLatch(1);
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

    private KillSwitch(State initial) {
        this.state = new AtomicReference<>(initial);
        if (initial != State.UNKNOWN) {
            known.countDown();
        }
    }

    /** Unknown until {@link #set} or {@link #markKnown} is called: blocks everything meanwhile. */
    public static KillSwitch unknown() {
        return new KillSwitch(State.UNKNOWN);
    }

    public static KillSwitch released() {
        return new KillSwitch(State.RELEASED);
    }

    public static KillSwitch engaged() {
        return new KillSwitch(State.ENGAGED);
    }

    public boolean isEngaged() {
        return state.get() == State.ENGAGED;
    }

    public boolean isKnown() {
        return state.get() != State.UNKNOWN;
    }

    /** Waits until the state is known; true when it is. */
    public boolean awaitKnown(Duration timeout) throws InterruptedException {
        return known.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void set(boolean engaged, String actor, String reason) {
        State next = engaged ? State.ENGAGED : State.RELEASED;
        State previous = state.getAndSet(next);
        known.countDown();
        if (previous != next) {
            LOG.warn("kill switch {} by {}: {}", engaged ? "ENGAGED" : "released", actor, reason);
            Change change = new Change(engaged, actor == null ? "unknown" : actor, reason == null ? "" : reason);
            for (Consumer<Change> listener : listeners) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    LOG.error("kill-switch listener failed", e);
                }
            }
        }
    }

    /** The control topic holds no kill-switch signal: the switch has never been engaged. */
    public void markKnown() {
        if (state.compareAndSet(State.UNKNOWN, State.RELEASED)) {
            LOG.info("kill switch: no signal on the control topic, released");
        }
        known.countDown();
    }

    /** Called on every change, on the thread that made it. */
    public void onChange(Consumer<Change> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Consumer<Change> listener) {
        listeners.remove(listener);
    }
}
