package io.autonomic.act;

import io.autonomic.act.aws.AwsExecutors;
import io.autonomic.act.k8s.KubernetesExecutors;
import io.autonomic.act.notify.IncidentNotifier;
import io.autonomic.act.notify.Notifiers;
import io.autonomic.act.audit.AuditLog;
import io.autonomic.act.audit.CompositeAuditLog;
import io.autonomic.act.audit.JsonLinesAuditLog;
import io.autonomic.act.audit.KafkaAuditLog;
import io.autonomic.act.approval.ApprovalListener;
import io.autonomic.act.control.ControlServer;
import io.autonomic.act.escalate.Escalator;
import io.autonomic.act.escalate.LoggingEscalator;
import io.autonomic.act.escalate.WebhookEscalator;
import io.autonomic.act.guard.BlastRadiusGuard;
import io.autonomic.act.guard.ControlTopicListener;
import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.Guards;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.guard.MaintenanceWindow;
import io.autonomic.act.guard.Overrides;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.ledger.KafkaSharedExecutions;
import io.autonomic.act.ledger.SharedExecutions;
import io.autonomic.act.outcome.KafkaOutcomeSink;
import io.autonomic.act.outcome.OutcomeSink;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.playbook.PlaybookException;
import io.autonomic.act.process.AllowedDirectories;
import io.autonomic.act.process.CommandProcessControl;
import io.autonomic.act.process.ProcessControl;
import io.autonomic.act.process.ProcessExecutor;
import io.autonomic.act.security.CommandAuthenticator;
import io.autonomic.act.verify.HealthView;
import io.autonomic.act.verify.KafkaHealthView;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.CommandSignature;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.Approval;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.RemediationCommand;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The action worker: a plain Kafka consumer service around a {@link CommandProcessor}.
 *
 * <p>Each {@link #runOnce round} polls the commands topic, decodes and handles each record, settles pending
 * verifications, then commits the batch's offsets synchronously. Delivery is at-least-once; the execution ledger
 * turns a redelivered command into a DUPLICATE, so the effect is once. Bad input never stops the loop: an
 * undecodable record or a command for an unknown action goes to the dead-letters topic (stage {@code worker}) and
 * is audited REJECTED; an unexpected error in handling one command is logged, audited and escalated, and the next
 * command is handled.
 *
 * <p>Until the kill switch is known (the control topic has been read once) no command is consumed.
 *
 * <p>{@link #run()} loops until {@link #stop()} or {@link #close()}; it then commits, closes its consumer and
 * producer, flushes the audit log and closes whatever was handed over with {@link Builder#closeOnStop}.
 */
public final class ActionWorker implements Runnable, AutoCloseable {

    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    public static final String DEAD_LETTER_STAGE = "worker";

    private static final Logger LOG = LoggerFactory.getLogger(ActionWorker.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXECUTIONS_CATCH_UP = Duration.ofSeconds(30);

    private final String workerId;
    private final Topics topics;
    private final Clock clock;
    private final Duration pollTimeout;
    private final KillSwitch killSwitch;
    private final AuditLog auditLog;
    private final CommandProcessor processor;
    private final WorkerCounters counters;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, DeadLetter> deadLetterProducer;
    private final AvroSerde<RemediationCommand> commandSerde = AvroSerde.of(RemediationCommand.class);
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final List<AutoCloseable> owned;
    private final ControlServer controlServer;
    private final Consumer<KillSwitch.Change> killSwitchAuditor;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch runExited = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread runner;
    private boolean shutDown;
    private boolean warnedUnknownKillSwitch;

    private ActionWorker(Builder builder) {
        this.workerId = requireText(builder.workerId, "workerId");
        this.topics = Objects.requireNonNull(builder.topics, "topics");
        this.clock = Objects.requireNonNull(builder.clock, "clock");
        this.pollTimeout = Objects.requireNonNull(builder.pollTimeout, "pollTimeout");
        this.killSwitch = Objects.requireNonNull(builder.killSwitch, "killSwitch");
        this.auditLog = Objects.requireNonNull(builder.auditLog, "auditLog");
        String bootstrap = requireText(builder.bootstrapServers, "bootstrapServers");
        String groupId = requireText(builder.groupId, "groupId");
        this.counters = new WorkerCounters();
        this.processor = CommandProcessor.builder()
                .workerId(workerId)
                .clock(clock)
                .executors(builder.executors)
                .guards(Guards.standard(killSwitch, Objects.requireNonNull(builder.guardConfig, "guardConfig"),
                        builder.maintenanceWindows, builder.overrides, builder.checkHealthBeforeActing
                                ? builder.healthView : null, builder.playbooks))
                .ledger(builder.ledger)
                .auditLog(auditLog)
                .healthView(builder.healthView)
                .escalator(builder.escalator)
                .notifier(builder.notifier)
                .counters(counters)
                .authenticator(builder.authenticator)
                .playbooks(builder.playbooks)
                .blastRadius(builder.maxConcurrentActions == null ? null
                        : new BlastRadiusGuard(builder.maxConcurrentActions, builder.serviceWindow, builder.playbooks,
                                builder.healthView))
                .maxQueued(builder.maxQueued)
                .outcomes(builder.outcomes)
                .approvalTtl(builder.approvalTtl)
                .sharedExecutions(builder.shared)
                .build();
        this.owned = new java.util.concurrent.CopyOnWriteArrayList<>(builder.owned);
        this.controlServer = builder.controlServer;

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-commands");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // commands issued before the worker's first start are still handled; stale ones die at the staleness guard
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // executions can take a while (a restart may run for a minute): keep a batch well inside max.poll.interval
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
        consumerProps.putAll(builder.consumerProperties);
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, workerId + "-dead-letters");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            this.deadLetterProducer = new KafkaProducer<>(producerProps, topics.deadLetters().keySerde().serializer(),
                    topics.deadLetters().valueSerde().serializer());
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        consumer.subscribe(List.of(topics.commands().name()), new CommitOnRevoke());
        this.killSwitchAuditor = processor::killSwitchChanged;
        killSwitch.onChange(killSwitchAuditor);
        processor.announceSecurity();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a worker from options with the default {@link CommandProcessControl} (from {@code --process-config}). */
    public static ActionWorker fromOptions(Options options) {
        return fromOptions(options, null, List.of());
    }

    /**
     * Builds a complete worker from options: ledger and audit files, Kafka audit log, kill switch fed by the
     * control topic, health view over the health topic, escalation (always logged, plus the webhook when
     * configured) and the process executor. Everything it opens is closed with the worker. Configuration errors
     * fail fast with an {@link OptionException} naming the option.
     *
     * @param processControl how {@code process.restart} restarts services; null for the argv lists of
     *     {@code --process-config}
     * @param extraExecutors executors for actions beyond {@code process.*}
     */
    public static ActionWorker fromOptions(Options options, ProcessControl processControl,
            List<? extends ActionExecutor> extraExecutors) {
        Objects.requireNonNull(options, "options");
        String bootstrap = options.require(WorkerOptions.BOOTSTRAP_SERVERS);
        Topics topics = PipelineOptions.topics(options);
        String workerId = options.require(WorkerOptions.WORKER_ID);
        String groupId = options.get(WorkerOptions.GROUP_ID) != null ? options.get(WorkerOptions.GROUP_ID)
                : options.require(WorkerOptions.GROUP_ID_PREFIX) + "-act-worker";
        Clock clock = Clock.systemUTC();
        GuardConfig guardConfig = guardConfig(options);
        AllowedDirectories allowed = allowedDirectories(options.get(WorkerOptions.ALLOWED_DIRS));
        ProcessControl control = processControl != null ? processControl : processControl(options.get(WorkerOptions.PROCESS_CONFIG));
        Escalator escalator = escalator(options.get(WorkerOptions.ESCALATION_WEBHOOK), workerId, clock);
        CommandAuthenticator authenticator = authenticator(options, clock);
        ProcessExecutor processExecutor = new ProcessExecutor(control, allowed, clock);
        Notifiers.Setup notify = Notifiers.build(options);
        List<ActionExecutor> executors = new ArrayList<>(extraExecutors);
        executors.addAll(AwsExecutors.fromOptions(options));
        executors.addAll(KubernetesExecutors.fromOptions(options));
        executors.addAll(notify.executors());
        Set<String> providedActions = new TreeSet<>(processExecutor.actions());
        executors.forEach(executor -> providedActions.addAll(executor.actions()));
        PlaybookCatalog playbooks = playbooks(options, providedActions);

        List<AutoCloseable> opened = new ArrayList<>();
        opened.add(notify.notifier());
        try {
            ExecutionLedger ledger = open(WorkerOptions.LEDGER_FILE.name(), options.get(WorkerOptions.LEDGER_FILE),
                    ExecutionLedger::open);
            opened.add(ledger);
            JsonLinesAuditLog fileAudit = open(WorkerOptions.AUDIT_FILE.name(), options.get(WorkerOptions.AUDIT_FILE),
                    JsonLinesAuditLog::open);
            opened.add(fileAudit);
            KafkaAuditLog kafkaAudit = new KafkaAuditLog(bootstrap, topics.audit());
            opened.add(kafkaAudit);
            KillSwitch killSwitch = KillSwitch.unknown();
            Overrides overrides = new Overrides();
            ControlTopicListener controlListener = ControlTopicListener.start(bootstrap, topics.control(), killSwitch,
                    overrides, options.get(WorkerOptions.OVERRIDE_DURATION));
            opened.add(controlListener);
            KafkaHealthView healthView = KafkaHealthView.start(bootstrap, topics.health());
            opened.add(healthView);
            KafkaOutcomeSink outcomes = new KafkaOutcomeSink(bootstrap, topics.outcomes());
            opened.add(outcomes);
            KafkaSharedExecutions shared = KafkaSharedExecutions.start(bootstrap, topics.executions(), workerId);
            opened.add(shared);
            awaitExecutions(shared, topics);

            Builder builder = builder()
                    .bootstrapServers(bootstrap)
                    .topics(topics)
                    .groupId(groupId)
                    .workerId(workerId)
                    .clock(clock)
                    .executor(processExecutor)
                    .executors(executors)
                    .notifier(notify.notifier())
                    .playbooks(playbooks)
                    .overrides(overrides)
                    .checkHealthBeforeActing(true)
                    .outcomes(outcomes)
                    .sharedExecutions(shared)
                    .approvalTtl(positiveDuration(options, WorkerOptions.APPROVAL_TTL))
                    .maintenanceWindows(maintenanceWindows(options))
                    .blastRadius(positive(options, WorkerOptions.MAX_CONCURRENT_ACTIONS),
                            options.get(WorkerOptions.SERVICE_WINDOW))
                    .maxQueued(nonNegative(options, WorkerOptions.MAX_QUEUED))
                    .guardConfig(guardConfig)
                    .ledger(ledger)
                    .auditLog(CompositeAuditLog.of(fileAudit, kafkaAudit))
                    .healthView(healthView)
                    .killSwitch(killSwitch)
                    .escalator(escalator)
                    .authenticator(authenticator);
            // closed in reverse: readers first, then audit sinks, the ledger last
            for (AutoCloseable resource : opened) {
                builder.closeOnStop(resource);
            }
            Integer httpPort = options.get(WorkerOptions.HTTP_PORT);
            AtomicReference<ActionWorker> built = new AtomicReference<>();
            if (httpPort != null) {
                ControlServer controlServer = startControl(options.get(WorkerOptions.HTTP_HOST), httpPort, killSwitch,
                        (resourceId, reason) -> requireBuilt(built).resetBreaker(resourceId, reason),
                        () -> requireBuilt(built).counters().snapshot(), overrides, clock,
                        approval -> requireBuilt(built).approve(approval));
                opened.add(controlServer);
                builder.controlServer(controlServer);
            }
            ActionWorker worker = builder.build();
            built.set(worker);
            try {
                // started once the worker exists, so no approval read from the topic can arrive before it
                worker.owned.add(ApprovalListener.start(bootstrap, topics.approvals(), worker::approve));
            } catch (RuntimeException e) {
                worker.close();
                throw e;
            }
            return worker;
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private interface Opener<T> {
        T open(Path path) throws Exception;
    }

    private static <T> T open(String option, Path path, Opener<T> opener) {
        try {
            return opener.open(path);
        } catch (Exception e) {
            throw new OptionException("--" + option + ": cannot open " + path + ": " + e.getMessage());
        }
    }

    static List<MaintenanceWindow> maintenanceWindows(Options options) {
        try {
            return MaintenanceWindow.parseList(options.get(WorkerOptions.MAINTENANCE_WINDOWS));
        } catch (IllegalArgumentException e) {
            throw new OptionException("--" + WorkerOptions.MAINTENANCE_WINDOWS.name() + ": " + e.getMessage());
        }
    }

    private static void awaitExecutions(KafkaSharedExecutions shared, Topics topics) {
        try {
            if (!shared.awaitCaughtUp(EXECUTIONS_CATCH_UP)) {
                LOG.warn("executions topic {} not read within {}; other workers' executions may be missed until it is",
                        topics.executions().name(), EXECUTIONS_CATCH_UP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + topics.executions().name(), e);
        }
    }

    private static ActionWorker requireBuilt(AtomicReference<ActionWorker> built) {
        ActionWorker worker = built.get();
        if (worker == null) {
            throw new IllegalStateException("the worker is still starting");
        }
        return worker;
    }

    private static ControlServer startControl(String host, int port, KillSwitch killSwitch,
            java.util.function.BiConsumer<String, String> reset,
            java.util.function.Supplier<Map<String, Long>> status, Overrides overrides, Clock clock,
            Consumer<Approval> approvals) {
        if (port < 0 || port > 65_535) {
            throw new OptionException("--" + WorkerOptions.HTTP_PORT.name() + " must be 0..65535, was " + port);
        }
        try {
            return ControlServer.start(new java.net.InetSocketAddress(host, port), killSwitch, reset, status, overrides,
                    clock, approvals);
        } catch (java.io.IOException | RuntimeException e) {
            throw new OptionException("--" + WorkerOptions.HTTP_PORT.name() + ": cannot listen on " + host + ":" + port
                    + ": " + e.getMessage());
        }
    }

    private static Duration positiveDuration(Options options, io.autonomic.schemas.Option<Duration> option) {
        Duration value = options.get(option);
        if (value.isNegative() || value.isZero()) {
            throw new OptionException("--" + option.name() + " must be positive, was " + value);
        }
        return value;
    }

    private static int positive(Options options, io.autonomic.schemas.Option<Integer> option) {
        int value = options.get(option);
        if (value < 1) {
            throw new OptionException("--" + option.name() + " must be at least 1, was " + value);
        }
        return value;
    }

    private static int nonNegative(Options options, io.autonomic.schemas.Option<Integer> option) {
        int value = options.get(option);
        if (value < 0) {
            throw new OptionException("--" + option.name() + " must not be negative, was " + value);
        }
        return value;
    }

    static PlaybookCatalog playbooks(Options options, Set<String> providedActions) {
        Path file = options.get(WorkerOptions.PLAYBOOKS);
        boolean strict = options.get(WorkerOptions.STRICT_PLAYBOOKS);
        try {
            return file == null ? PlaybookCatalog.defaults(providedActions, strict)
                    : PlaybookCatalog.load(file, providedActions, strict);
        } catch (PlaybookException e) {
            throw new OptionException("--" + (file == null ? WorkerOptions.STRICT_PLAYBOOKS.name()
                    : WorkerOptions.PLAYBOOKS.name()) + ": " + e.getMessage());
        }
    }

    static CommandAuthenticator authenticator(Options options, Clock clock) {
        Path keyFile = options.get(WorkerOptions.SIGNING_KEY_FILE);
        if (keyFile == null) {
            return CommandAuthenticator.unsigned();
        }
        Duration window = options.get(WorkerOptions.SIGNATURE_WINDOW);
        if (window.isNegative() || window.isZero()) {
            throw new OptionException("--" + WorkerOptions.SIGNATURE_WINDOW.name() + " must be positive, was " + window);
        }
        CommandSignature signature;
        try {
            signature = CommandSignature.fromKeyFile(keyFile);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--" + WorkerOptions.SIGNING_KEY_FILE.name() + ": " + e.getMessage());
        }
        return CommandAuthenticator.signed(signature, options.get(WorkerOptions.REQUIRE_SIGNATURES), window, clock);
    }

    static GuardConfig guardConfig(Options options) {
        int maxAttempts = options.get(WorkerOptions.MAX_ATTEMPTS_PER_HOUR);
        if (maxAttempts < 1) {
            throw new OptionException("--" + WorkerOptions.MAX_ATTEMPTS_PER_HOUR.name() + " must be at least 1, was "
                    + maxAttempts);
        }
        return new GuardConfig(options.get(WorkerOptions.COOLDOWN), maxAttempts, options.get(WorkerOptions.DRY_RUN));
    }

    static AllowedDirectories allowedDirectories(String commaList) {
        List<Path> roots = new ArrayList<>();
        if (commaList != null) {
            for (String part : commaList.split(",")) {
                if (!part.isBlank()) {
                    roots.add(Path.of(part.trim()));
                }
            }
        }
        try {
            return AllowedDirectories.of(roots);
        } catch (RuntimeException e) {
            throw new OptionException("--" + WorkerOptions.ALLOWED_DIRS.name() + ": " + e.getMessage());
        }
    }

    static ProcessControl processControl(Path configFile) {
        if (configFile == null) {
            return CommandProcessControl.none();
        }
        try {
            return CommandProcessControl.fromYaml(configFile);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--" + WorkerOptions.PROCESS_CONFIG.name() + ": " + e.getMessage());
        }
    }

    static Escalator escalator(String webhook, String workerId, Clock clock) {
        Escalator logging = new LoggingEscalator();
        if (webhook == null || webhook.isBlank()) {
            return logging;
        }
        try {
            return Escalator.all(List.of(logging, new WebhookEscalator(URI.create(webhook.trim()), workerId, clock)));
        } catch (IllegalArgumentException e) {
            throw new OptionException("--" + WorkerOptions.ESCALATION_WEBHOOK.name() + ": " + e.getMessage());
        }
    }

    public String workerId() {
        return workerId;
    }

    public WorkerCounters counters() {
        return counters;
    }

    public KillSwitch killSwitch() {
        return killSwitch;
    }

    public int pendingVerifications() {
        return processor.pendingVerifications();
    }

    /** Waits until the worker may consume commands (the kill switch is known); true when it may. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return killSwitch.awaitKnown(timeout);
    }

    /** Hands in an approval of a NEEDS_APPROVAL command (thread-safe; acted on at the next poll). */
    public void approve(Approval approval) {
        processor.approve(approval);
    }

    /** NEEDS_APPROVAL commands waiting for a human (read on the worker thread; a snapshot elsewhere). */
    public List<RemediationCommand> proposals() {
        return processor.proposals();
    }

    /** The port of the HTTP control endpoint, -1 when it is off. */
    public int controlPort() {
        return controlServer == null ? -1 : controlServer.port();
    }

    /** Closes the resource's circuit breaker (audited); safe to call from any thread. */
    public void resetBreaker(String resourceId, String reason) {
        processor.resetBreaker(resourceId, reason);
    }

    /**
     * One round: poll, handle each record, settle verifications, commit. Returns the number of records handled.
     * Must be called from one thread at a time (the consumer is not thread-safe).
     */
    public int runOnce(Duration pollTimeout) {
        synchronized (this) {
            if (shutDown) {
                throw new IllegalStateException("worker " + workerId + " is closed");
            }
        }
        if (!killSwitch.isKnown() && !awaitKillSwitch(pollTimeout)) {
            processor.checkVerifications();
            return 0;
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
            if (stopping) {
                return 0;
            }
            throw e;
        }
        int handled = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handleRecord(record);
            uncommitted.put(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1));
            handled++;
        }
        processor.checkVerifications();
        if (!uncommitted.isEmpty()) {
            commit();
        }
        return handled;
    }

    private boolean awaitKillSwitch(Duration timeout) {
        try {
            if (killSwitch.awaitKnown(timeout)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!warnedUnknownKillSwitch) {
            warnedUnknownKillSwitch = true;
            LOG.warn("worker {}: kill-switch state not yet known (control topic {} not read); holding commands",
                    workerId, topics.control().name());
        }
        return false;
    }

    private void handleRecord(ConsumerRecord<byte[], byte[]> record) {
        String source = record.topic() + "-" + record.partition() + "@" + record.offset();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        RemediationCommand command = null;
        try {
            if (record.value() == null) {
                reject(record, key, source, "empty-command", "record has no value");
                return;
            }
            try {
                command = commandSerde.decode(record.value());
            } catch (RuntimeException e) {
                reject(record, key, source, "undecodable-command", e.getMessage());
                return;
            }
            CommandProcessor.Handled handled = processor.handle(command);
            if (handled.outcome() == CommandProcessor.Outcome.REJECTED) {
                deadLetter(record, key, handled.reason(), handled.detail());
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            try {
                if (command != null) {
                    processor.internalError(command, e);
                } else {
                    counters.errors.incrementAndGet();
                    LOG.error("unexpected error handling record {}", source, e);
                }
            } catch (RuntimeException again) {
                LOG.error("could not even record the failure of {}", source, again);
            }
        }
    }

    private void reject(ConsumerRecord<byte[], byte[]> record, String key, String source, String reason, String detail) {
        LOG.warn("rejecting record {}: {}: {}", source, reason, detail);
        processor.rejectRecord(key, source, reason, detail);
        deadLetter(record, key, reason, detail);
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> record, String key, String reason, String detail) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setStage(DEAD_LETTER_STAGE)
                .setReason(reason)
                .setDetail(detail == null ? "" : detail.length() <= 2_000 ? detail : detail.substring(0, 2_000) + "…")
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setTimestampMillis(clock.millis())
                .build();
        try {
            deadLetterProducer.send(new ProducerRecord<>(topics.deadLetters().name(), key, letter), (metadata, error) -> {
                if (error != null) {
                    LOG.error("dead letter for {}-{}@{} not written: {}", record.topic(), record.partition(),
                            record.offset(), error.toString());
                }
            });
            counters.deadLetters.incrementAndGet();
        } catch (KafkaException e) {
            LOG.error("dead letter for {}-{}@{} not sent: {}", record.topic(), record.partition(), record.offset(),
                    e.toString());
        }
    }

    /** Dead letters and audit events are made durable before the offsets that produced them are committed. */
    private void commit() {
        try {
            deadLetterProducer.flush();
            auditLog.flush();
            consumer.commitSync(new HashMap<>(uncommitted));
            uncommitted.clear();
        } catch (WakeupException e) {
            if (!stopping) {
                throw e;
            }
            // stopping: the offsets stay in uncommitted and are committed once more during shutdown
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // the partitions moved on; whoever gets them redelivers, and the ledger turns that into DUPLICATE
            LOG.warn("worker {}: committing offsets failed ({}); those commands will be redelivered", workerId,
                    e.toString());
            uncommitted.clear();
        }
    }

    /** Runs rounds until {@link #stop()}; then shuts down cleanly. */
    @Override
    public void run() {
        runner = Thread.currentThread();
        LOG.info("worker {} consuming {} (executors for {})", workerId, topics.commands().name(), processor.actions());
        try {
            while (!stopping) {
                try {
                    runOnce(pollTimeout);
                } catch (WakeupException e) {
                    // stop() woke the consumer up: the loop condition ends the run
                } catch (RuntimeException e) {
                    if (stopping) {
                        break;
                    }
                    counters.errors.incrementAndGet();
                    LOG.error("worker {} round failed; retrying in 1s", workerId, e);
                    try {
                        stopRequested.await(1, TimeUnit.SECONDS);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        } finally {
            shutdown();
            runExited.countDown();
            LOG.info("worker {} stopped: {}", workerId, counters);
        }
    }

    /** Asks {@link #run()} to end after the current record; returns at once. */
    public void stop() {
        stopping = true;
        stopRequested.countDown();
        consumer.wakeup();
    }

    /** Stops, waits for {@link #run()} to finish (up to 30s) and releases everything. Idempotent. */
    @Override
    public void close() {
        stop();
        Thread running = runner;
        if (running != null && running != Thread.currentThread()) {
            try {
                if (!runExited.await(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("worker {} did not stop within {}", workerId, SHUTDOWN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            shutdown();
        }
    }

    private synchronized void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        killSwitch.removeListener(killSwitchAuditor);
        try {
            if (!uncommitted.isEmpty()) {
                deadLetterProducer.flush();
                auditLog.flush();
                consumer.commitSync(new HashMap<>(uncommitted));
                uncommitted.clear();
            }
        } catch (RuntimeException e) {
            LOG.warn("worker {}: final commit failed ({}); the ledger deduplicates the redelivery", workerId, e.toString());
        }
        closeQuietly("command consumer", () -> consumer.close(Duration.ofSeconds(5)));
        closeQuietly("dead-letter producer", () -> deadLetterProducer.close(Duration.ofSeconds(5)));
        closeQuietly("audit flush", auditLog::flush);
        List<AutoCloseable> reversed = new ArrayList<>(owned);
        Collections.reverse(reversed);
        closeAll(reversed);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void closeQuietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.warn("worker {}: closing {} failed: {}", workerId, what, e.toString());
        }
    }

    private static void closeAll(Collection<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    /** Commits what was handled before partitions are taken away, so the next owner does not redo it. */
    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> revoked = new LinkedHashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = uncommitted.remove(partition);
                if (offset != null) {
                    revoked.put(partition, offset);
                }
            }
            if (!revoked.isEmpty()) {
                try {
                    deadLetterProducer.flush();
                    auditLog.flush();
                    consumer.commitSync(revoked);
                } catch (RuntimeException e) {
                    LOG.warn("worker {}: commit on revocation failed: {}", workerId, e.toString());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.info("worker {} assigned {}", workerId, partitions);
        }
    }

    /**
     * Collaborators of an {@link ActionWorker}. Required: bootstrap servers, topics, group id, worker id, at
     * least one executor, ledger, audit log, health view, kill switch, escalator. Defaults: system UTC clock,
     * {@link GuardConfig#defaults()}, {@link #DEFAULT_POLL_TIMEOUT}.
     */
    public static final class Builder {
        private String bootstrapServers;
        private Topics topics = Topics.defaults();
        private String groupId;
        private String workerId;
        private Clock clock = Clock.systemUTC();
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private final List<ActionExecutor> executors = new ArrayList<>();
        private GuardConfig guardConfig = GuardConfig.defaults();
        private ExecutionLedger ledger;
        private AuditLog auditLog;
        private HealthView healthView;
        private KillSwitch killSwitch;
        private Escalator escalator;
        private IncidentNotifier notifier = IncidentNotifier.none();
        private CommandAuthenticator authenticator = CommandAuthenticator.unsigned();
        private PlaybookCatalog playbooks;
        private Integer maxConcurrentActions;
        private List<MaintenanceWindow> maintenanceWindows = List.of();
        private Overrides overrides = new Overrides();
        private boolean checkHealthBeforeActing;
        private ControlServer controlServer;
        private OutcomeSink outcomes = OutcomeSink.NONE;
        private Duration approvalTtl = CommandProcessor.DEFAULT_APPROVAL_TTL;
        private SharedExecutions shared = SharedExecutions.NONE;
        private Duration serviceWindow = BlastRadiusGuard.DEFAULT_SERVICE_WINDOW;
        private int maxQueued = CommandProcessor.DEFAULT_MAX_QUEUED;
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private final List<AutoCloseable> owned = new ArrayList<>();

        private Builder() {
        }

        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        public Builder topics(Topics topics) {
            this.topics = topics;
            return this;
        }

        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Overrides a property of the command consumer (e.g. {@code max.poll.records}). */
        public Builder consumerProperty(String name, Object value) {
            this.consumerProperties.put(name, value);
            return this;
        }

        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        public Builder executor(ActionExecutor executor) {
            this.executors.add(Objects.requireNonNull(executor, "executor"));
            return this;
        }

        public Builder executors(Collection<? extends ActionExecutor> executors) {
            executors.forEach(this::executor);
            return this;
        }

        public Builder guardConfig(GuardConfig guardConfig) {
            this.guardConfig = guardConfig;
            return this;
        }

        public Builder ledger(ExecutionLedger ledger) {
            this.ledger = ledger;
            return this;
        }

        public Builder auditLog(AuditLog auditLog) {
            this.auditLog = auditLog;
            return this;
        }

        public Builder healthView(HealthView healthView) {
            this.healthView = healthView;
            return this;
        }

        public Builder killSwitch(KillSwitch killSwitch) {
            this.killSwitch = killSwitch;
            return this;
        }

        public Builder notifier(IncidentNotifier notifier) {
            this.notifier = Objects.requireNonNull(notifier, "notifier");
            return this;
        }

        public Builder escalator(Escalator escalator) {
            this.escalator = escalator;
            return this;
        }

        /** The playbooks commands must belong to (see {@link CommandProcessor.Builder#playbooks}); default none. */
        public Builder playbooks(PlaybookCatalog playbooks) {
            this.playbooks = playbooks;
            return this;
        }

        /**
         * Turns the blast-radius caps on ({@link BlastRadiusGuard}, per-playbook caps from {@link #playbooks}); off by
         * default for embedding, on in {@link #fromOptions}.
         */
        public Builder blastRadius(int maxConcurrentActions, Duration serviceWindow) {
            this.maxConcurrentActions = maxConcurrentActions;
            this.serviceWindow = Objects.requireNonNull(serviceWindow, "serviceWindow");
            return this;
        }

        /** Where each action's outcome goes (the outcomes topic in {@link #fromOptions}); default nowhere. */
        public Builder outcomes(OutcomeSink outcomes) {
            this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
            return this;
        }

        /** Human overrides the override guard consults (fed by the control topic and the HTTP endpoint). */
        public Builder overrides(Overrides overrides) {
            this.overrides = Objects.requireNonNull(overrides, "overrides");
            return this;
        }

        /**
         * Whether the staleness guard also drops commands whose resource has been HEALTHY since after the incident
         * opened (on in {@link #fromOptions}; off by default so embedders opt in).
         */
        public Builder checkHealthBeforeActing(boolean checkHealthBeforeActing) {
            this.checkHealthBeforeActing = checkHealthBeforeActing;
            return this;
        }

        /** Other workers' executions (the executions topic in {@link #fromOptions}); default none. */
        public Builder sharedExecutions(SharedExecutions shared) {
            this.shared = Objects.requireNonNull(shared, "shared");
            return this;
        }

        /** How long a NEEDS_APPROVAL proposal stays approvable. */
        public Builder approvalTtl(Duration approvalTtl) {
            this.approvalTtl = Objects.requireNonNull(approvalTtl, "approvalTtl");
            return this;
        }

        /** Worker-wide maintenance windows in which no action starts. */
        public Builder maintenanceWindows(List<MaintenanceWindow> maintenanceWindows) {
            this.maintenanceWindows = List.copyOf(maintenanceWindows);
            return this;
        }

        /** The worker's HTTP control endpoint, closed with the worker. */
        public Builder controlServer(ControlServer controlServer) {
            this.controlServer = Objects.requireNonNull(controlServer, "controlServer");
            return closeOnStop(controlServer);
        }

        public Builder maxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
            return this;
        }

        /** Signature checks of incoming commands; default {@link CommandAuthenticator#unsigned()}. */
        public Builder authenticator(CommandAuthenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * Hands a resource over to the worker, closed when it shuts down (in reverse order of handing over).
         * Collaborators not handed over stay the caller's to close.
         */
        public Builder closeOnStop(AutoCloseable resource) {
            this.owned.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        public ActionWorker build() {
            return new ActionWorker(this);
        }
    }

    @Override
    public String toString() {
        return "ActionWorker[" + workerId + ", " + counters + "]";
    }
}
