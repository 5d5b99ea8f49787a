package io.autonomic.act;

import static io.autonomic.act.testing.Commands.CHECKOUT;
import static io.autonomic.act.testing.Commands.T0;
import static io.autonomic.schemas.avro.AuditDecision.DUPLICATE;
import static io.autonomic.schemas.avro.AuditDecision.ESCALATED;
import static io.autonomic.schemas.avro.AuditDecision.EXECUTED;
import static io.autonomic.schemas.avro.AuditDecision.GUARD_BLOCKED;
import static io.autonomic.schemas.avro.AuditDecision.KILL_SWITCH_CHANGED;
import static io.autonomic.schemas.avro.AuditDecision.RECEIVED;
import static io.autonomic.schemas.avro.AuditDecision.REJECTED;
import static io.autonomic.schemas.avro.AuditDecision.RESOLVED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFICATION_FAILED;
import static io.autonomic.schemas.avro.AuditDecision.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.autonomic.act.audit.AuditLog;
import io.autonomic.act.audit.CompositeAuditLog;
import io.autonomic.act.audit.JsonLinesAuditLog;
import io.autonomic.act.audit.KafkaAuditLog;
import io.autonomic.act.guard.ControlTopicListener;
import io.autonomic.act.guard.GuardConfig;
import io.autonomic.act.guard.KillSwitch;
import io.autonomic.act.ledger.ExecutionLedger;
import io.autonomic.act.process.AllowedDirectories;
import io.autonomic.act.process.ProcessExecutor;
import io.autonomic.act.testing.Commands;
import io.autonomic.act.testing.KafkaTopics;
import io.autonomic.act.testing.MutableClock;
import io.autonomic.act.testing.TestingAuditLog;
import io.autonomic.act.testing.TestingEscalator;
import io.autonomic.act.testing.TestingHealthView;
import io.autonomic.act.testing.TestingProcessControl;
import io.autonomic.act.verify.HealthView;
import io.autonomic.act.verify.KafkaHealthView;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.CommandSignature;
import io.autonomic.act.security.CommandAuthenticator;
import io.autonomic.act.outcome.KafkaOutcomeSink;
import io.autonomic.schemas.avro.ActionOutcome;
import io.autonomic.schemas.avro.ActionOutcomeStatus;
import io.autonomic.schemas.avro.AuditDecision;
import io.autonomic.schemas.avro.AuditEvent;
import io.autonomic.schemas.avro.ControlSignal;
import io.autonomic.schemas.avro.DeadLetter;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.HealthStatus;
import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The worker against the shared in-process broker, one set of topics per test. */
class ActionWorkerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final String bootstrap = SharedKafka.bootstrapServers();
    private final MutableClock clock = new MutableClock(T0);
    private final TestingProcessControl processControl = new TestingProcessControl();
    private final TestingEscalator escalator = new TestingEscalator();
    private final TestingAuditLog memoryAudit = new TestingAuditLog();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Topics topics;
    private String groupId;
    private ExecutionLedger ledger;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private void topicsFor(TestInfo test) throws InterruptedException {
        String name = test.getTestMethod().orElseThrow().getName().replaceAll("[^A-Za-z0-9]", "-");
        topics = KafkaTopics.unique(name);
        groupId = "act-test-" + topics.commands().name();
    }

    private CommandAuthenticator authenticator = CommandAuthenticator.unsigned();

    private ActionWorker worker(HealthView health, KillSwitch killSwitch) throws Exception {
        ledger = ExecutionLedger.open(dir.resolve("ledger.jsonl"));
        JsonLinesAuditLog file = JsonLinesAuditLog.open(dir.resolve("audit.jsonl"));
        AuditLog audit = CompositeAuditLog.of(memoryAudit, file, new KafkaAuditLog(bootstrap, topics.audit()));
        KafkaOutcomeSink outcomeSink = new KafkaOutcomeSink(bootstrap, topics.outcomes());
        ActionWorker worker = ActionWorker.builder()
                .bootstrapServers(bootstrap)
                .topics(topics)
                .groupId(groupId)
                .workerId("worker-under-test")
                .clock(clock)
                .pollTimeout(Duration.ofMillis(100))
                .executor(new ProcessExecutor(processControl, AllowedDirectories.none(), clock))
                .guardConfig(GuardConfig.defaults())
                .ledger(ledger)
                .auditLog(audit)
                .healthView(health)
                .killSwitch(killSwitch)
                .escalator(escalator)
                .authenticator(authenticator)
                .outcomes(outcomeSink)
                .closeOnStop(outcomeSink)
                .closeOnStop(ledger)
                .closeOnStop(audit)
                .build();
        toClose.add(worker);
        return worker;
    }

    private ActionWorker worker() throws Exception {
        return worker(new TestingHealthView(), KillSwitch.released());
    }

    private void send(RemediationCommand command) {
        KafkaTestClients.produce(bootstrap, topics.commands(), command.getTarget().getId(), command);
    }

    private void sendRaw(String key, byte[] value) {
        Topic<String, byte[]> raw = new Topic<>("commands", topics.commands().name(), Serdes.String(),
                Serdes.ByteArray(), false);
        KafkaTestClients.produce(bootstrap, raw, key, value);
    }

    private static void runUntil(ActionWorker worker, BooleanSupplier done) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached within %s", TIMEOUT).isLessThan(deadline);
            worker.runOnce(Duration.ofMillis(100));
        }
    }

    private BooleanSupplier audited(String key, AuditDecision decision, int times) {
        return () -> memoryAudit.decisionsFor(key).stream().filter(decision::equals).count() >= times;
    }

    private List<AuditEvent> auditTopic(int atLeast) {
        return KafkaTestClients.consumeUntil(bootstrap, topics.audit(), read -> read.size() >= atLeast, TIMEOUT)
                .stream().map(ConsumerRecord::value).toList();
    }

    @Test
    void sameCommandDeliveredTwice_executesOnce_alsoAcrossWorkerRestart(TestInfo test) throws Exception {
        topicsFor(test);
        RemediationCommand command = Commands.restart("dup-1", T0).build();
        ActionWorker first = worker();
        send(command);
        runUntil(first, audited("dup-1", EXECUTED, 1));
        send(command);
        runUntil(first, audited("dup-1", DUPLICATE, 1));
        first.close();

        ActionWorker second = worker();
        send(command);
        runUntil(second, audited("dup-1", DUPLICATE, 2));

        assertThat(processControl.restartedIds()).containsExactly(CHECKOUT);
        assertThat(first.counters().executed()).isEqualTo(1);
        assertThat(second.counters().executed()).isZero();
        assertThat(second.counters().duplicates()).isEqualTo(1);
        assertThat(JsonLinesAuditLog.read(dir.resolve("audit.jsonl")))
                .filteredOn(e -> e.getDecision() == DUPLICATE).hasSize(2);
    }

    @Test
    void optedOutResource_neverActedOn(TestInfo test) throws Exception {
        topicsFor(test);
        ActionWorker worker = worker();
        send(Commands.restart("opt-1", T0).setTargetContext(Commands.context("checkout", false, Map.of())).build());

        runUntil(worker, audited("opt-1", GUARD_BLOCKED, 1));

        assertThat(processControl.restarts).isEmpty();
        assertThat(memoryAudit.withDecision(GUARD_BLOCKED)).singleElement()
                .satisfies(e -> assertThat(e.getGuard()).isEqualTo("opt-out"));
        assertThat(worker.counters().blocked()).isEqualTo(1);
    }

    @Test
    void everyPath_leavesAuditRecords_inJsonFileAndOnAuditTopic(TestInfo test) throws Exception {
        topicsFor(test);
        ActionWorker worker = worker();
        send(Commands.restart("path-exec", T0).build());
        send(Commands.restart("path-exec", T0).build());
        send(Commands.command("path-dry", "process.restart", "process:host-1/cart", "cart", T0, Map.of())
                .setMode(ExecutionMode.DRY_RUN).build());
        send(Commands.command("path-approval", "process.restart", "process:host-1/cart", "cart", T0, Map.of())
                .setMode(ExecutionMode.NEEDS_APPROVAL).build());
        send(Commands.command("path-unknown", "k8s.delete-pod", "k8s-pod:prod/x", "x", T0, Map.of()).build());
        send(Commands.command("path-fail", "process.remove-files", "process:host-1/db", "db", T0,
                Map.of("directory", "/etc", "pattern", "*", "password", "hunter2")).build());

        runUntil(worker, audited("path-fail", ESCALATED, 1));

        List<AuditEvent> fromFile = JsonLinesAuditLog.read(dir.resolve("audit.jsonl"));
        assertThat(fromFile).isEqualTo(memoryAudit.events);
        List<AuditEvent> fromTopic = auditTopic(fromFile.size());
        assertThat(fromTopic).containsExactlyInAnyOrderElementsOf(fromFile);
        for (String key : List.of("path-exec", "path-dry", "path-approval", "path-unknown", "path-fail")) {
            assertThat(memoryAudit.decisionsFor(key)).as(key).first().isEqualTo(RECEIVED);
        }
        assertThat(memoryAudit.decisionsFor("path-exec")).contains(EXECUTED, DUPLICATE);
        assertThat(memoryAudit.decisionsFor("path-dry")).endsWith(AuditDecision.DRY_RUN);
        assertThat(memoryAudit.decisionsFor("path-approval")).endsWith(AuditDecision.AWAITING_APPROVAL);
        assertThat(memoryAudit.decisionsFor("path-unknown")).containsExactly(RECEIVED, REJECTED);
        assertThat(memoryAudit.decisionsFor("path-fail")).endsWith(AuditDecision.EXECUTION_FAILED, ESCALATED);
        assertThat(fromFile.toString()).doesNotContain("hunter2");
        assertThat(processControl.restartedIds()).containsExactly(CHECKOUT);
    }

    @Test
    void undecodableCommand_deadLettered_rejected_andWorkerProcessesTheNext(TestInfo test) throws Exception {
        topicsFor(test);
        ActionWorker worker = worker();
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        sendRaw("process:host-1/checkout", garbage);
        send(Commands.restart("after-garbage", T0).build());

        runUntil(worker, audited("after-garbage", EXECUTED, 1));

        assertThat(memoryAudit.events.get(0).getDecision()).isEqualTo(AuditDecision.SECURITY_MODE);
        assertThat(memoryAudit.events.get(1).getDecision()).isEqualTo(REJECTED);
        assertThat(memoryAudit.events.get(1).getDetail()).startsWith("undecodable-command");
        List<DeadLetter> letters = KafkaTestClients.consumeUntil(bootstrap, topics.deadLetters(),
                read -> !read.isEmpty(), TIMEOUT).stream().map(ConsumerRecord::value).toList();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.getStage()).isEqualTo("worker");
            assertThat(letter.getReason()).isEqualTo("undecodable-command");
            assertThat(letter.getSourceTopic()).isEqualTo(topics.commands().name());
            assertThat(letter.getSourceOffset()).isZero();
            assertThat(bytes(letter.getValue())).isEqualTo(garbage);
        });
        assertThat(worker.counters().deadLetters()).isEqualTo(1);
        assertThat(worker.counters().rejected()).isEqualTo(1);
        assertThat(processControl.restarts).hasSize(1);
    }

    @Test
    void unexpectedErrorWhileHandling_isAuditedAndEscalated_andTheLoopGoesOn(TestInfo test) throws Exception {
        topicsFor(test);
        ActionWorker worker = worker();
        // a ledger that cannot be written: recording STARTED fails inside the handling of the command
        ledger.close();
        send(Commands.restart("broken-1", T0).build());
        send(Commands.command("broken-2", "process.restart", "process:host-1/cart", "cart", T0, Map.of()).build());

        runUntil(worker, audited("broken-2", ESCALATED, 1));

        assertThat(memoryAudit.decisionsFor("broken-1")).endsWith(ESCALATED);
        assertThat(memoryAudit.withDecision(ESCALATED).get(0).getDetail()).startsWith("internal error");
        assertThat(escalator.escalations).hasSize(2);
        assertThat(worker.counters().errors()).isEqualTo(2);
        assertThat(processControl.restarts).isEmpty();
    }

    @Test
    void forgedAndUnsignedCommands_rejected_deadLettered_signedOneExecuted(TestInfo test) throws Exception {
        topicsFor(test);
        CommandSignature key = CommandSignature.withKey("detect-and-worker-share-this-key".getBytes(StandardCharsets.UTF_8));
        CommandSignature forger = CommandSignature.withKey("an-attacker-guessed-another-key!".getBytes(StandardCharsets.UTF_8));
        authenticator = CommandAuthenticator.signed(key, true, Duration.ofMinutes(15), clock);
        ActionWorker worker = worker();
        send(forger.signed(Commands.restart("sig-forged", T0).build()));
        send(Commands.restart("sig-unsigned", T0).build());
        send(key.signed(Commands.restart("sig-good", T0).build()));

        runUntil(worker, audited("sig-good", EXECUTED, 1));

        List<DeadLetter> letters = KafkaTestClients.consumeUntil(bootstrap, topics.deadLetters(),
                read -> read.size() >= 2, TIMEOUT).stream().map(ConsumerRecord::value).toList();
        assertThat(letters).extracting(DeadLetter::getReason).containsExactly("forged", "unsigned");
        assertThat(memoryAudit.decisionsFor("sig-forged")).containsExactly(RECEIVED, REJECTED);
        assertThat(memoryAudit.withDecision(AuditDecision.SECURITY_MODE)).singleElement()
                .satisfies(e -> assertThat(e.getAttributes()).containsEntry("signing", "true"));
        assertThat(processControl.restartedIds()).containsExactly(CHECKOUT);
    }

    @Test
    void unknownAction_rejected_andDeadLettered(TestInfo test) throws Exception {
        topicsFor(test);
        ActionWorker worker = worker();
        send(Commands.command("unknown-1", "aws.reboot-instance", "ec2:i-123", "api", T0, Map.of()).build());

        runUntil(worker, audited("unknown-1", REJECTED, 1));

        List<DeadLetter> letters = KafkaTestClients.consumeUntil(bootstrap, topics.deadLetters(),
                read -> !read.isEmpty(), TIMEOUT).stream().map(ConsumerRecord::value).toList();
        assertThat(letters).singleElement().satisfies(l -> assertThat(l.getReason()).isEqualTo("unknown-action"));
        assertThat(memoryAudit.withDecision(REJECTED).get(0).getDetail()).contains("aws.reboot-instance");
    }

    @Test
    void verification_healthRecordOnHealthTopic_verifiedThenResolved(TestInfo test) throws Exception {
        topicsFor(test);
        KafkaHealthView health = KafkaHealthView.start(bootstrap, topics.health());
        toClose.add(health);
        ActionWorker worker = worker(health, KillSwitch.released());
        send(Commands.restart("verify-1", T0).build());
        runUntil(worker, audited("verify-1", EXECUTED, 1));
        assertThat(worker.pendingVerifications()).isEqualTo(1);

        KafkaTestClients.produce(bootstrap, topics.health(), CHECKOUT,
                TestingHealthView.health(CHECKOUT, HealthStatus.HEALTHY, T0.plusSeconds(8)));
        clock.advance(Duration.ofSeconds(10));
        runUntil(worker, audited("verify-1", RESOLVED, 1));

        assertThat(memoryAudit.decisionsFor("verify-1")).endsWith(EXECUTED, VERIFIED, RESOLVED);
        assertThat(worker.counters().verified()).isEqualTo(1);
        assertThat(escalator.escalations).isEmpty();
        List<ActionOutcome> outcomes = KafkaTestClients.consumeUntil(bootstrap, topics.outcomes(),
                read -> !read.isEmpty(), TIMEOUT).stream().map(ConsumerRecord::value).toList();
        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.getOutcome()).isEqualTo(ActionOutcomeStatus.SUCCEEDED);
            assertThat(outcome.getIdempotencyKey()).isEqualTo("verify-1");
            assertThat(outcome.getIncidentType()).isEqualTo("http-5xx");
            assertThat(outcome.getAction()).isEqualTo("process.restart");
            assertThat(outcome.getResource().getId()).isEqualTo(CHECKOUT);
            assertThat(outcome.getRecoveryMillis()).isEqualTo(8_000L);
        });
    }

    @Test
    void verification_deadlinePassed_verificationFailedAndEscalated(TestInfo test) throws Exception {
        topicsFor(test);
        KafkaHealthView health = KafkaHealthView.start(bootstrap, topics.health());
        toClose.add(health);
        KafkaTestClients.produce(bootstrap, topics.health(), CHECKOUT,
                TestingHealthView.health(CHECKOUT, HealthStatus.UNHEALTHY, T0.minusSeconds(30)));
        ActionWorker worker = worker(health, KillSwitch.released());
        send(Commands.restart("deadline-1", T0).build());
        runUntil(worker, audited("deadline-1", EXECUTED, 1));

        clock.advance(Duration.ofMinutes(2));
        runUntil(worker, audited("deadline-1", ESCALATED, 1));

        assertThat(memoryAudit.decisionsFor("deadline-1")).endsWith(VERIFICATION_FAILED, ESCALATED);
        assertThat(memoryAudit.withDecision(VERIFICATION_FAILED).get(0).getDetail()).contains("UNHEALTHY");
        assertThat(escalator.escalations).singleElement()
                .satisfies(e -> assertThat(e.command().getIdempotencyKey()).isEqualTo("deadline-1"));
    }

    @Test
    void killSwitchOnControlTopic_blocksCommands_andIsAudited(TestInfo test) throws Exception {
        topicsFor(test);
        KillSwitch killSwitch = KillSwitch.unknown();
        ActionWorker worker = worker(new TestingHealthView(), killSwitch);
        toClose.add(ControlTopicListener.start(bootstrap, topics.control(), killSwitch));
        assertThat(worker.awaitReady(TIMEOUT)).isTrue();

        KafkaTestClients.produce(bootstrap, topics.control(), KillSwitch.SIGNAL_NAME, ControlSignal.newBuilder()
                .setName(KillSwitch.SIGNAL_NAME).setEnabled(true).setActor("oncall").setReason("bad deploy")
                .setAtMillis(T0.toEpochMilli()).build());
        await().atMost(Duration.ofSeconds(5)).until(killSwitch::isEngaged);
        send(Commands.restart("killed-1", T0).build());
        runUntil(worker, audited("killed-1", GUARD_BLOCKED, 1));

        assertThat(processControl.restarts).isEmpty();
        assertThat(memoryAudit.withDecision(GUARD_BLOCKED).get(0).getGuard()).isEqualTo("kill-switch");
        assertThat(memoryAudit.withDecision(KILL_SWITCH_CHANGED)).singleElement()
                .satisfies(e -> assertThat(e.getDetail()).contains("engaged by oncall: bad deploy"));
    }

    @Test
    void unknownKillSwitch_holdsCommandsUntilKnown(TestInfo test) throws Exception {
        topicsFor(test);
        KillSwitch killSwitch = KillSwitch.unknown();
        ActionWorker worker = worker(new TestingHealthView(), killSwitch);
        send(Commands.restart("held-1", T0).build());

        assertThat(worker.runOnce(Duration.ofMillis(200))).isZero();
        assertThat(memoryAudit.decisions()).containsExactly(AuditDecision.SECURITY_MODE);

        killSwitch.markKnown();
        runUntil(worker, audited("held-1", EXECUTED, 1));
    }

    @Test
    void run_inBackground_untilClose_thenShutsDownCleanly(TestInfo test) throws Exception {
        topicsFor(test);
        ActionWorker worker = worker();
        Thread thread = new Thread(worker, "worker-under-test");
        thread.start();
        send(Commands.restart("bg-1", T0).build());

        await().atMost(TIMEOUT).until(() -> memoryAudit.decisionsFor("bg-1").contains(EXECUTED));
        worker.close();

        thread.join(TIMEOUT.toMillis());
        assertThat(thread.isAlive()).isFalse();
        assertThatThrownBy(() -> worker.runOnce(Duration.ofMillis(10))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fromOptions_buildsAWorkingWorker_withInjectedProcessControl(TestInfo test) throws Exception {
        topicsFor(test);
        Map<String, String> values = new HashMap<>(KafkaTopics.asOptions(topics));
        values.put("bootstrap-servers", bootstrap);
        values.put("worker-id", "embedded-worker");
        values.put("group-id", groupId);
        values.put("audit-file", dir.resolve("data/audit.jsonl").toString());
        values.put("ledger-file", dir.resolve("data/ledger.jsonl").toString());
        values.put("allowed-dir", dir.toString());
        values.put("cooldown", "1m");
        values.put("http-port", "0");
        Options options = Options.of(values, WorkerOptions.ALL);
        ActionWorker worker = ActionWorker.fromOptions(options, processControl, List.of());
        toClose.add(worker);
        assertThat(worker.awaitReady(TIMEOUT)).isTrue();
        assertThat(worker.controlPort()).isPositive();
        java.net.http.HttpResponse<String> status = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + worker.controlPort()
                        + "/kill-switch")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(status.body()).contains("\"enabled\":false");

        Thread thread = new Thread(worker, "embedded-worker");
        thread.start();
        // fromOptions runs on the system clock: this command must not be stale by it
        send(Commands.restart("opt-worker-1", T0).setExpiresAtMillis(T0.plus(Duration.ofDays(365 * 100)).toEpochMilli())
                .build());
        Path auditFile = dir.resolve("data/audit.jsonl");
        await().atMost(TIMEOUT).until(() -> JsonLinesAuditLog.read(auditFile).stream()
                .anyMatch(e -> e.getDecision() == EXECUTED && Objects.equals(e.getIdempotencyKey(), "opt-worker-1")));
        worker.close();
        thread.join(TIMEOUT.toMillis());

        assertThat(processControl.restartedIds()).containsExactly(CHECKOUT);
        assertThat(auditTopic(1)).anySatisfy(e -> assertThat(e.getWorker()).isEqualTo("embedded-worker"));
        assertThat(dir.resolve("data/ledger.jsonl")).isNotEmptyFile();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
