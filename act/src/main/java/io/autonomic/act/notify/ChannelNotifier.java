package io.autonomic.act.notify;

import io.autonomic.schemas.avro.RemediationCommand;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IncidentNotifier} over a list of channels. Each hook is queued on one background thread and returns
 * at once, so a slow ticketing system never stalls the worker, while one incident's events still reach every
 * channel in order (created before commented before closed). A channel that fails is logged (never with its
 * secrets) and counted; the others still get the event.
 */
public final class ChannelNotifier implements IncidentNotifier, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelNotifier.class);

    private final List<NotificationChannel> channels;
    private final ExecutorService sender;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public ChannelNotifier(List<NotificationChannel> channels) {
        this.channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
        this.sender = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "autonomic-notifier");
            thread.setDaemon(true);
            return thread;
        });
    }

    public List<NotificationChannel> channels() {
        return channels;
    }

    @Override
    public void opened(RemediationCommand command, String detail) {
        submit(IncidentEvent.of(IncidentEvent.Kind.OPENED, command, detail));
    }

    @Override
    public void escalated(RemediationCommand command, String reason) {
        submit(IncidentEvent.of(IncidentEvent.Kind.ESCALATED, command, reason));
    }

    @Override
    public void resolved(RemediationCommand command, String detail) {
        submit(IncidentEvent.of(IncidentEvent.Kind.RESOLVED, command, detail));
    }

    private void submit(IncidentEvent event) {
        if (channels.isEmpty()) {
            return;
        }
        try {
            sender.execute(() -> deliverToAll(event));
        } catch (RejectedExecutionException e) {
            failures.incrementAndGet();
            LOG.warn("notifier closed: {} of incident {} not sent", event.kind().label(), event.incidentId());
        }
    }

    private void deliverToAll(IncidentEvent event) {
        for (NotificationChannel channel : channels) {
            try {
                String outcome = channel.deliver(event);
                delivered.incrementAndGet();
                LOG.info("{} of incident {} via {}: {}", event.kind().label(), event.incidentId(), channel.name(), outcome);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures.incrementAndGet();
                LOG.error("{} of incident {} via {} failed: {}", event.kind().label(), event.incidentId(),
                        channel.name(), e.getMessage());
            }
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Sends what is queued (waiting at most {@code timeoutMillis}) and stops. */
    public void close(long timeoutMillis) {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(10_000);
    }
}
