package io.autonomic.act.guard;

import io.autonomic.act.playbook.Playbook;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.verify.HealthView;
import io.autonomic.schemas.avro.RemediationCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Bounds how much the worker does at once, so a flawed rule or a storm of incidents cannot take a fleet down:
 *
 * <ul>
 *   <li>actions in flight (started and not yet verified or failed) across the worker: {@code maxConcurrent};</li>
 *   <li>in flight per playbook: the playbook's {@code blastRadius.maxConcurrent};</li>
 *   <li>actions of one action type started in the last minute: the playbook's {@code blastRadius.perMinute};</li>
 *   <li>distinct instances (resource ids) of one service acted on within {@code serviceWindow}: at most
 *       {@code maxServiceFraction} of the instances the health view knows for the service, rounded down but at
 *       least one (a service of unknown size gets one instance at a time).</li>
 * </ul>
 * Over a cap, the decision is {@link GuardDecision#retryLater}: the worker queues the command and tries again as
 * room frees up. The worker reports starts and finishes through {@link #started} and {@link #finished}. Not
 * thread-safe: the worker thread drives it.
 */
public final class BlastRadiusGuard implements Guard {

    public static final String NAME = "blast-radius";
    public static final int DEFAULT_MAX_CONCURRENT = 10;
    public static final Duration DEFAULT_SERVICE_WINDOW = Duration.ofMinutes(10);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private record InFlight(String playbook, String resourceId, String service) {
    }

    private record Touch(Instant at, String resourceId) {
    }

    private final int maxConcurrent;
    private final Duration serviceWindow;
    private final PlaybookCatalog playbooks;
    private final HealthView healthView;
    private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
    private final Map<String, Deque<Instant>> startsByAction = new HashMap<>();
    private final Map<String, Deque<Touch>> touchesByService = new HashMap<>();

    /**
     * @param playbooks where per-playbook caps come from; a command whose playbook it lacks (or null) gets
     *     {@link Playbook.BlastRadius#DEFAULT}
     */
    public BlastRadiusGuard(int maxConcurrent, Duration serviceWindow, PlaybookCatalog playbooks, HealthView healthView) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
        }
        this.maxConcurrent = maxConcurrent;
        this.serviceWindow = Objects.requireNonNull(serviceWindow, "serviceWindow");
        this.playbooks = playbooks;
        this.healthView = Objects.requireNonNull(healthView, "healthView");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        Instant now = context.now();
        Playbook.BlastRadius caps = caps(command);
        if (inFlight.size() >= maxConcurrent) {
            return GuardDecision.retryLater("blast radius: " + inFlight.size() + " actions in flight, worker cap "
                    + maxConcurrent);
        }
        long ofPlaybook = inFlight.values().stream().filter(f -> f.playbook().equals(command.getPlaybook())).count();
        if (ofPlaybook >= caps.maxConcurrent()) {
            return GuardDecision.retryLater("blast radius: " + ofPlaybook + " actions of playbook "
                    + command.getPlaybook() + " in flight, cap " + caps.maxConcurrent());
        }
        Deque<Instant> starts = startsByAction.getOrDefault(command.getAction(), new ArrayDeque<>());
        prune(starts, now.minus(MINUTE));
        if (starts.size() >= caps.perMinute()) {
            return GuardDecision.retryLater("blast radius: " + starts.size() + " " + command.getAction()
                    + " actions in the last minute, cap " + caps.perMinute() + " per minute");
        }
        String service = service(command);
        if (service != null) {
            Set<String> touched = touched(service, now);
            if (!touched.contains(command.getTarget().getId())) {
                int instances = Math.max(healthView.instancesOf(service), touched.size() + 1);
                int allowed = Math.max(1, (int) Math.floor(caps.maxServiceFraction() * instances));
                if (touched.size() >= allowed) {
                    return GuardDecision.retryLater("blast radius: " + touched.size() + " of " + instances
                            + " instances of service " + service + " acted on within " + serviceWindow + ", cap "
                            + allowed + " (" + caps.maxServiceFraction() + ")");
                }
            }
        }
        return GuardDecision.pass();
    }

    /** An action started: it counts against every cap until {@link #finished}. */
    public void started(RemediationCommand command, Instant at) {
        inFlight.put(command.getIdempotencyKey(), new InFlight(command.getPlaybook(), command.getTarget().getId(),
                service(command)));
        startsByAction.computeIfAbsent(command.getAction(), a -> new ArrayDeque<>()).addLast(at);
        String service = service(command);
        if (service != null) {
            touchesByService.computeIfAbsent(service, s -> new ArrayDeque<>())
                    .addLast(new Touch(at, command.getTarget().getId()));
        }
    }

    /** The action's outcome is known (verified, failed, verification failed, in doubt): it no longer is in flight. */
    public void finished(String idempotencyKey) {
        inFlight.remove(idempotencyKey);
    }

    public int inFlight() {
        return inFlight.size();
    }

    private Playbook.BlastRadius caps(RemediationCommand command) {
        if (playbooks == null) {
            return Playbook.BlastRadius.DEFAULT;
        }
        return playbooks.find(command.getPlaybook()).map(Playbook::blastRadius).orElse(Playbook.BlastRadius.DEFAULT);
    }

    private static String service(RemediationCommand command) {
        String service = command.getTarget().getService();
        return service == null || service.isBlank() ? null : service;
    }

    private Set<String> touched(String service, Instant now) {
        Deque<Touch> touches = touchesByService.get(service);
        Set<String> ids = new HashSet<>();
        if (touches == null) {
            return ids;
        }
        Instant cutoff = now.minus(serviceWindow);
        while (!touches.isEmpty() && touches.peekFirst().at().isBefore(cutoff)) {
            touches.removeFirst();
        }
        for (Touch touch : touches) {
            ids.add(touch.resourceId());
        }
        // instances still in flight count however long ago they started
        for (InFlight flight : inFlight.values()) {
            if (service.equals(flight.service())) {
                ids.add(flight.resourceId());
            }
        }
        return ids;
    }

    private static void prune(Deque<Instant> starts, Instant cutoff) {
        for (Iterator<Instant> iterator = starts.iterator(); iterator.hasNext(); ) {
            if (iterator.next().isBefore(cutoff)) {
                iterator.remove();
            } else {
                return;
            }
        }
    }
}
