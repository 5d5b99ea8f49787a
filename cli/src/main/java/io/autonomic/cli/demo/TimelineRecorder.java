package io.autonomic.cli.demo;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.Incident;
import io.autonomic.schemas.avro.IncidentStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.ResourceHealth;
import io.autonomic.schemas.avro.RootCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the pipeline's output topics (anomalies, incidents, commands, audit, health) and turns each record into a
 * {@link TimelineEvent}, stamped with the wall-clock time it was seen.
 */
public final class TimelineRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TimelineRecorder.class);
    /** Field of audit events: when the worker recorded the decision (epoch millis), as opposed to when it was seen. */
    static final String AUDIT_TIME = "auditTimeMillis";

    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Clock clock;
    private final List<TimelineEvent> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<TimelineEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public TimelineRecorder(String bootstrapServers, Topics topics, Clock clock) {
        this.topics = topics;
        this.clock = clock;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "autonomic-demo-timeline-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topics.anomalies().name(), topics.incidents().name(), topics.commands().name(),
                topics.audit().name(), topics.health().name()));
        thread = new Thread(this::poll, "demo-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    public void onEvent(Consumer<TimelineEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<TimelineEvent> listener) {
        listeners.remove(listener);
    }

    /** Adds an event the demo itself caused, such as a fault injection. */
    public void add(TimelineEvent event) {
        events.add(event);
        listeners.forEach(l -> l.accept(event));
    }

    public List<TimelineEvent> events() {
        return List.copyOf(events);
    }

    /** Waits until an event matching {@code condition} has been seen, or the timeout passes. */
    public boolean await(Predicate<TimelineEvent> condition, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (events.stream().anyMatch(condition)) {
                return true;
            }
            Thread.sleep(100);
        }
        return events.stream().anyMatch(condition);
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        TimelineEvent event = toEvent(record);
                        if (event != null) {
                            add(event);
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("timeline cannot read a record of {}: {}", record.topic(), e.toString());
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() asked the poll loop to end
        } finally {
            consumer.close();
        }
    }

    private TimelineEvent toEvent(ConsumerRecord<byte[], byte[]> record) {
        Instant now = clock.instant();
        String topic = record.topic();
        if (topic.equals(topics.anomalies().name())) {
            Anomaly a = decode(topics.anomalies(), record);
            return new TimelineEvent(now, Kind.ANOMALY_DETECTED, a.getResource().getId(), a.getResource().getService(),
                    String.format(Locale.ROOT, "%s = %s, expected %s, by %s (score %.2f)", a.getMetric(),
                            num(a.getObserved()), expectation(a), a.getDetector(), a.getScore()),
                    fields("metric", a.getMetric(), "detector", a.getDetector(), "observed", num(a.getObserved()),
                            "score", num(a.getScore()), "modelVersion", a.getModelVersion()));
        }
        if (topic.equals(topics.incidents().name())) {
            Incident i = decode(topics.incidents(), record);
            Kind kind = i.getStatus() == IncidentStatus.OPEN ? Kind.INCIDENT_OPENED
                    : i.getStatus() == IncidentStatus.RESOLVED ? Kind.INCIDENT_RESOLVED : Kind.INCIDENT_UPDATED;
            TimelineEvent.Correlation correlation = correlation(i);
            String summary = kind == Kind.INCIDENT_RESOLVED
                    ? shortId(i.getIncidentId()) + " closed by detect: "
                            + (correlation.resources().size() > 1 ? "its resources are" : "the resource is")
                            + " healthy again"
                    : String.format(Locale.ROOT, "%s: %s (confidence %.2f), root cause %s, %d anomalies as evidence%s, "
                                    + "playbook %s", shortId(i.getIncidentId()), i.getDiagnosis().getIncidentType(),
                            i.getDiagnosis().getConfidence(), i.getDiagnosis().getRootCause(), i.getEvidence().size(),
                            correlation.resources().size() > 1
                                    ? " from " + correlation.resources().size() + " resources" : "",
                            i.getPlaybook() == null ? "none (goes to humans)" : i.getPlaybook());
            return new TimelineEvent(now, kind, i.getResource().getId(), i.getResource().getService(), summary,
                    fields("incidentId", i.getIncidentId(), "incidentType", i.getDiagnosis().getIncidentType(),
                            "rootCause", i.getDiagnosis().getRootCause(),
                            "playbook", i.getPlaybook() == null ? "" : i.getPlaybook()),
                    correlation);
        }
        if (topic.equals(topics.commands().name())) {
            RemediationCommand c = decode(topics.commands(), record);
            return new TimelineEvent(now, Kind.COMMAND_ISSUED, c.getTarget().getId(), c.getTarget().getService(),
                    String.format(Locale.ROOT, "%s -> %s %s (mode %s, key %s)", c.getPlaybook(), c.getAction(),
                            c.getParameters(), c.getMode(), shortKey(c.getIdempotencyKey())),
                    fields("commandId", c.getCommandId(), "action", c.getAction(), "playbook", c.getPlaybook(),
                            "incidentId", c.getIncident().getIncidentId(), "mode", c.getMode().name()));
        }
        if (topic.equals(topics.audit().name())) {
            AuditEvent e = decode(topics.audit(), record);
            Kind kind = switch (e.getDecision()) {
                case GUARD_PASSED -> Kind.GUARD_PASSED;
                case AWAITING_APPROVAL -> Kind.PROPOSED;
                case APPROVED -> Kind.APPROVED;
                case GUARD_BLOCKED, DRY_RUN, DUPLICATE, REJECTED, BREAKER_OPENED, APPROVAL_EXPIRED -> Kind.GUARD_BLOCKED;
                case RECEIVED -> Kind.COMMAND_RECEIVED;
                case RESOLVED -> Kind.REMEDIATION_CLOSED;
                case EXECUTING -> Kind.ACTION_STARTED;
                case EXECUTED -> Kind.ACTION_EXECUTED;
                case EXECUTION_FAILED -> Kind.ACTION_FAILED;
                case VERIFIED -> Kind.RECOVERY_VERIFIED;
                case VERIFICATION_FAILED -> Kind.VERIFICATION_FAILED;
                case ESCALATED -> Kind.ESCALATED;
                default -> Kind.OTHER;
            };
            String service = e.getAttributes().getOrDefault("service", serviceOf(e.getResourceId()));
            String summary = (e.getGuard() == null ? "" : e.getGuard() + ": ")
                    + (e.getDetail().isEmpty() ? e.getDecision().name() : e.getDetail());
            Map<String, String> f = fields("decision", e.getDecision().name(), "guard", e.getGuard() == null ? "" : e.getGuard(),
                    "commandId", e.getCommandId() == null ? "" : e.getCommandId(),
                    "action", e.getAction() == null ? "" : e.getAction(),
                    AUDIT_TIME, String.valueOf(e.getTimestampMillis()));
            return new TimelineEvent(now, kind, e.getResourceId(), service, summary, f);
        }
        if (topic.equals(topics.health().name())) {
            ResourceHealth h = decode(topics.health(), record);
            if (h == null) {
                return null;
            }
            return new TimelineEvent(now, Kind.RESOURCE_HEALTH, h.getResource().getId(), h.getResource().getService(),
                    h.getStatus() + " since " + Instant.ofEpochMilli(h.getSinceMillis()),
                    fields("status", h.getStatus().name()));
        }
        return null;
    }

    static TimelineEvent.Correlation correlation(Incident incident) {
        List<TimelineEvent.RankedCause> causes = new ArrayList<>();
        for (RootCause cause : incident.getRootCauses()) {
            causes.add(new TimelineEvent.RankedCause(cause.getResourceId(),
                    cause.getService() == null ? serviceOf(cause.getResourceId()) : cause.getService(),
                    cause.getLayer().name().toLowerCase(Locale.ROOT), cause.getScore(), cause.getReasons()));
        }
        return new TimelineEvent.Correlation(causes, incident.getResources(), incident.getInhibited(),
                incident.getSuppressedDuplicates());
    }

    /** Service name from a resource id such as {@code process:demo-host/inventory}. */
    static String serviceOf(String resourceId) {
        if (resourceId == null) {
            return null;
        }
        int slash = resourceId.lastIndexOf('/');
        return slash >= 0 ? resourceId.substring(slash + 1) : resourceId;
    }

    private static <V> V decode(Topic<String, V> topic, ConsumerRecord<byte[], byte[]> record) {
        return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    private static String expectation(Anomaly a) {
        if (Double.isInfinite(a.getLower()) && !Double.isInfinite(a.getUpper())) {
            return "at most " + num(a.getUpper());
        }
        if (Double.isInfinite(a.getUpper()) && !Double.isInfinite(a.getLower())) {
            return "at least " + num(a.getLower());
        }
        return num(a.getExpected()) + " within " + num(a.getLower()) + ".." + num(a.getUpper());
    }

    private static String shortId(String id) {
        return id.length() > 8 ? "incident " + id.substring(0, 8) : "incident " + id;
    }

    private static String shortKey(String key) {
        return key.length() > 12 ? key.substring(0, 12) + "…" : key;
    }

    static String num(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        double abs = Math.abs(value);
        return abs != 0 && (abs >= 1e6 || abs < 1e-3) ? String.format(Locale.ROOT, "%.3g", value)
                : String.format(Locale.ROOT, "%.3f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static Map<String, String> fields(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1] == null ? "" : keyValues[i + 1]);
        }
        return map;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }

    List<TimelineEvent> since(Instant from, String service) {
        return since(from, service::equals);
    }

    /** Events seen at or after {@code from} of the services {@code involved} accepts, in the order seen. */
    List<TimelineEvent> since(Instant from, Predicate<String> involved) {
        List<TimelineEvent> result = new ArrayList<>();
        for (TimelineEvent event : events) {
            if (!event.observedAt().isBefore(from) && event.service() != null && involved.test(event.service())) {
                result.add(event);
            }
        }
        return result;
    }
}
