package io.autonomic.cli.demo;

import io.autonomic.cli.demo.TimelineEvent.Kind;
import io.autonomic.act.approval.ApprovalPublisher;
import io.autonomic.cli.embedded.EmbeddedStack;
import io.autonomic.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs the demo: the embedded stack, three instrumented services with load flowing through them (and, when a
 * scenario needs it, the database they all query), and one fault scenario after another, each awaited until the
 * worker verifies recovery or the scenario times out.
 */
public final class DemoRunner {

    private static final String TOPOLOGY_RESOURCE = "/io/autonomic/cli/demo/topology.yaml";

    private final Path workDir;
    private final Duration scenarioTimeout;
    private final Duration warmUp;
    private final TimelinePrinter printer;
    private final Clock clock;
    /** The storm scenario's simulated fleet while it runs; restarts of its instances go there. */
    private final AtomicReference<FleetSimulator> fleet = new AtomicReference<>();

    public DemoRunner(Path workDir, Duration scenarioTimeout, Duration warmUp, TimelinePrinter printer, Clock clock) {
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.scenarioTimeout = scenarioTimeout;
        this.warmUp = warmUp;
        this.printer = printer;
        this.clock = clock;
    }

    public List<ScenarioResult> run(List<Scenario> scenarios) throws Exception {
        Files.createDirectories(workDir.resolve("services"));
        Path topology = workDir.resolve("topology.yaml");
        try (InputStream in = Objects.requireNonNull(DemoRunner.class.getResourceAsStream(TOPOLOGY_RESOURCE))) {
            Files.copy(in, topology, StandardCopyOption.REPLACE_EXISTING);
        }
        int inventoryPort = FreePorts.next();
        int checkoutPort = FreePorts.next();
        int paymentsPort = FreePorts.next();
        int databasePort = FreePorts.next();
        // The database is one more JVM on the machine: started only when a scenario needs it, so the others stay fast.
        boolean withDatabase = scenarios.stream().anyMatch(Scenario::usesDatabase);
        int kafkaPort = FreePorts.next();
        int otlpPort = FreePorts.next();
        printer.info("starting the embedded stack (Kafka, OTLP receiver, Flink MiniCluster, worker) in " + workDir);
        List<ScenarioResult> results = new ArrayList<>();
        try (DemoProcesses processes = new DemoProcesses(System.getProperty("java.class.path"), workDir,
                        "http://localhost:" + otlpPort);
                EmbeddedStack stack = EmbeddedStack.builder()
                        .kafkaPort(kafkaPort)
                        .otlpPort(otlpPort)
                        .dataDir(workDir)
                        .topologyFile(topology)
                        .processControl(target -> restart(target, processes))
                        .allowedDirs(List.of(workDir.resolve("services").toAbsolutePath()))
                        // short, so the demo can act on a service again in a later scenario
                        .workerCooldown(Duration.ofSeconds(20))
                        .start();
                TimelineRecorder timeline = new TimelineRecorder(stack.bootstrapServers(), Topics.defaults(), clock)) {
            printer.info("kafka " + stack.bootstrapServers() + ", otlp " + stack.otlpEndpoint()
                    + ", audit trail " + stack.auditFile());
            DemoProcesses.ServiceSpec database = null;
            if (withDatabase) {
                database = DemoProcesses.ServiceSpec.database(DemoDatabase.NAME, databasePort);
                processes.start(database);
            }
            processes.start(DemoProcesses.ServiceSpec.service("inventory", inventoryPort, null, database));
            processes.start(DemoProcesses.ServiceSpec.service("checkout", checkoutPort,
                    "http://localhost:" + inventoryPort, database));
            // its own service, so the shadow scenario's restart is not held back by another playbook's cooldown
            processes.start(DemoProcesses.ServiceSpec.service("payments", paymentsPort, null, database));
            printer.info("services up: checkout :" + checkoutPort + " -> inventory :" + inventoryPort
                    + ", payments :" + paymentsPort
                    + (withDatabase ? ", all three querying " + DemoDatabase.NAME + " :" + databasePort
                            + " on every request (client spans over OTLP)" : "")
                    + ", each exporting OTLP metrics every second");
            try (LoadGenerator load = new LoadGenerator(processes.url("checkout"), 20);
                    LoadGenerator paymentsLoad = new LoadGenerator(processes.url("payments"), 5)) {
                awaitBaseline();
                for (Scenario scenario : scenarios) {
                    results.add(switch (scenario.kind()) {
                        case AUTONOMOUS, SHADOW -> runScenario(scenario, processes, timeline, stack);
                        case STORM -> runStorm(scenario, stack, timeline);
                    });
                }
                printer.info("load: " + load.sent() + " requests sent to checkout, " + load.failed() + " failed; "
                        + paymentsLoad.sent() + " to payments, " + paymentsLoad.failed() + " failed");
            }
        }
        return results;
    }

    /** Restarts go to the fleet simulator for its instances, to the demo's child processes otherwise. */
    private void restart(io.autonomic.schemas.avro.Resource target, DemoProcesses processes) throws Exception {
        FleetSimulator simulated = fleet.get();
        if (simulated != null && FleetSimulator.SERVICE.equals(target.getService())) {
            simulated.restart(target);
        } else {
            processes.restart(target);
        }
    }

    private void awaitBaseline() throws InterruptedException {
        printer.info("collecting a baseline for " + warmUp.toSeconds() + "s");
        Thread.sleep(warmUp.toMillis());
    }

    private ScenarioResult runScenario(Scenario scenario, DemoProcesses processes, TimelineRecorder timeline,
            EmbeddedStack stack) throws IOException, InterruptedException {
        printer.scenarioStarted(scenario);
        Instant injectedAt = clock.instant();
        TimelineEvent injected = new TimelineEvent(injectedAt, Kind.FAULT_INJECTED, null, scenario.service(),
                scenario.service() + ": POST /fault/" + scenario.fault() + " - " + scenario.description(),
                Map.of("fault", scenario.fault()));
        timeline.add(injected);
        printer.event(scenario, injectedAt, injected);
        Consumer<TimelineEvent> listener = event -> {
            if (event.service() != null && scenario.involves(event.service())
                    && !event.observedAt().isBefore(injectedAt)
                    && event.kind() != Kind.FAULT_INJECTED) {
                printer.event(scenario, injectedAt, event);
            }
        };
        timeline.onEvent(listener);
        processes.inject(scenario.service(), scenario.fault());
        if (scenario.kind() == Scenario.Kind.SHADOW) {
            approveProposal(scenario, injectedAt, timeline, stack);
        }

        boolean verified = timeline.await(e -> matches(e, scenario, injectedAt)
                && e.kind() == Kind.RECOVERY_VERIFIED, scenarioTimeout);
        boolean resolved = verified && timeline.await(e -> matches(e, scenario, injectedAt)
                && e.kind() == Kind.INCIDENT_RESOLVED, Duration.ofSeconds(30));
        timeline.removeListener(listener); // later scenarios print only their own services
        List<TimelineEvent> events = timeline.since(injectedAt, scenario::involves);
        Duration mttd = events.stream().filter(e -> e.kind() == Kind.ANOMALY_DETECTED).findFirst()
                .map(e -> Duration.between(injectedAt, e.observedAt())).orElse(null);
        Duration mttr = events.stream().filter(e -> e.kind() == Kind.RECOVERY_VERIFIED
                        && scenario.service().equals(e.service())).findFirst()
                .map(e -> Duration.between(injectedAt, e.observedAt())).orElse(null);
        boolean expectedActionTaken = events.stream().anyMatch(e -> e.kind() == Kind.ACTION_EXECUTED
                && scenario.service().equals(e.service()) && scenario.expectedAction().equals(e.fields().get("action")));
        CorrelationCheck correlation = CorrelationCheck.of(scenario, events);
        boolean recovered = verified && resolved && expectedActionTaken && correlation.holds();
        String outcome = !expectedActionTaken ? "not recovered: " + scenario.expectedAction() + " was not executed"
                : !verified ? "not recovered within " + scenarioTimeout.toSeconds() + "s"
                : !resolved ? "recovery verified but the incident was not resolved"
                : !correlation.holds() ? "recovered, but not as one incident: " + correlation.describe()
                : scenario.dependents().isEmpty() ? "recovered"
                : "recovered: " + correlation.describe();
        ScenarioResult result = new ScenarioResult(scenario, injectedAt, mttd, mttr, recovered, outcome, events);
        printer.scenarioFinished(result);
        return result;
    }

    /** Plays the operator: waits for the worker's proposal and approves it the way {@code autonomic approve} does. */
    private void approveProposal(Scenario scenario, Instant injectedAt, TimelineRecorder timeline, EmbeddedStack stack)
            throws InterruptedException {
        if (!timeline.await(e -> matches(e, scenario, injectedAt) && e.kind() == Kind.PROPOSED, scenarioTimeout)) {
            return; // no proposal: the scenario fails on the missing action, with the timeline showing why
        }
        String commandId = timeline.since(injectedAt, scenario.service()).stream()
                .filter(e -> e.kind() == Kind.PROPOSED).findFirst().orElseThrow().fields().get("commandId");
        TimelineEvent approval = new TimelineEvent(clock.instant(), Kind.OPERATOR, null, scenario.service(),
                "operator runs: autonomic approve " + commandId, Map.of("commandId", commandId));
        printer.event(scenario, injectedAt, approval);
        ApprovalPublisher.publish(stack.bootstrapServers(), Topics.defaults(), commandId, "demo-operator",
                "reviewed the heap-pressure evidence in the demo");
    }

    /**
     * Fails every fleet instance at once and watches the worker work through the storm within its caps: no more than
     * the playbook's per-minute cap of restarts in any minute, the rest queued until they expire and are escalated.
     */
    private ScenarioResult runStorm(Scenario scenario, EmbeddedStack stack, TimelineRecorder timeline)
            throws InterruptedException {
        printer.scenarioStarted(scenario);
        FleetSimulator simulator = new FleetSimulator(FleetSimulatorSettings.INSTANCES, stack.otlpEndpoint());
        fleet.set(simulator);
        try {
            printer.info(simulator.size() + " fleet instances reporting; letting them settle for " + warmUp.toSeconds() + "s");
            Thread.sleep(warmUp.toMillis());
            Instant injectedAt = clock.instant();
            simulator.failAll();
            TimelineEvent injected = new TimelineEvent(injectedAt, Kind.FAULT_INJECTED, null, scenario.service(),
                    simulator.size() + " instances of " + scenario.service() + " start failing every request",
                    Map.of("fault", scenario.fault()));
            timeline.add(injected);
            printer.event(scenario, injectedAt, injected);

            StormTally tally = StormTally.of(List.of());
            Instant deadline = injectedAt.plus(scenarioTimeout);
            while (clock.instant().isBefore(deadline)) {
                Thread.sleep(10_000);
                tally = StormTally.of(timeline.since(injectedAt, scenario.service()));
                printer.event(scenario, injectedAt, new TimelineEvent(clock.instant(), Kind.PROGRESS, null,
                        scenario.service(), tally.describe(), Map.of()));
                if (tally.commands() >= simulator.size() && tally.settled() >= tally.commands()) {
                    break;
                }
            }
            List<TimelineEvent> events = timeline.since(injectedAt, scenario.service());
            tally = StormTally.of(events);
            Duration mttd = events.stream().filter(e -> e.kind() == Kind.ANOMALY_DETECTED).findFirst()
                    .map(e -> Duration.between(injectedAt, e.observedAt())).orElse(null);
            Duration mttr = events.stream().filter(e -> e.kind() == Kind.RECOVERY_VERIFIED).findFirst()
                    .map(e -> Duration.between(injectedAt, e.observedAt())).orElse(null);
            boolean capsHeld = tally.maxStartsInAMinute() <= FleetSimulatorSettings.PER_MINUTE_CAP
                    && tally.maxInFlight() <= FleetSimulatorSettings.CONCURRENT_CAP;
            boolean accounted = tally.commands() >= simulator.size() && tally.settled() >= tally.commands();
            boolean recovered = capsHeld && accounted && tally.verified() > 0;
            String outcome = (capsHeld ? "caps held" : "CAPS EXCEEDED") + ": " + tally.describe()
                    + (accounted ? "" : "; not every command was settled in time");
            ScenarioResult result = new ScenarioResult(scenario, injectedAt, mttd, mttr, recovered, outcome, events);
            printer.scenarioFinished(result);
            return result;
        } finally {
            fleet.set(null);
            simulator.close();
        }
    }

    private static boolean matches(TimelineEvent e, Scenario scenario, Instant from) {
        return scenario.service().equals(e.service()) && !e.observedAt().isBefore(from);
    }

    /** Picks free local ports for the embedded parts and the services. */
    static final class FreePorts {
        private FreePorts() {
        }

        static int next() throws IOException {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                socket.setReuseAddress(true);
                return socket.getLocalPort();
            }
        }
    }

    /** Where the demo writes its progress: a readable timeline or JSON lines. */
    public interface TimelinePrinter {
        void info(String message);

        void scenarioStarted(Scenario scenario);

        void event(Scenario scenario, Instant injectedAt, TimelineEvent event);

        void scenarioFinished(ScenarioResult result);

        static TimelinePrinter create(PrintStream out, boolean json) {
            return json ? new JsonTimelinePrinter(out) : new TextTimelinePrinter(out);
        }
    }
}
