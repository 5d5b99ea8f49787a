package io.autonomic.cli.demo;

import io.autonomic.cli.demo.TimelineEvent.Kind;
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

/**
 * Runs the demo: the embedded stack, two instrumented services with load flowing between them, and one fault
 * scenario after another, each awaited until the worker verifies recovery or the scenario times out.
 */
public final class DemoRunner {

    private static final String TOPOLOGY_RESOURCE = "/io/autonomic/cli/demo/topology.yaml";

    private final Path workDir;
    private final Duration scenarioTimeout;
    private final Duration warmUp;
    private final TimelinePrinter printer;
    private final Clock clock;

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
                        .processControl(processes)
                        .allowedDirs(List.of(workDir.resolve("services").toAbsolutePath()))
                        .start();
                TimelineRecorder timeline = new TimelineRecorder(stack.bootstrapServers(), Topics.defaults(), clock)) {
            printer.info("kafka " + stack.bootstrapServers() + ", otlp " + stack.otlpEndpoint()
                    + ", audit trail " + stack.auditFile());
            processes.start(new DemoProcesses.ServiceSpec("inventory", inventoryPort, null));
            processes.start(new DemoProcesses.ServiceSpec("checkout", checkoutPort,
                    "http://localhost:" + inventoryPort));
            printer.info("services up: checkout :" + checkoutPort + " -> inventory :" + inventoryPort
                    + ", each exporting OTLP metrics every second");
            try (LoadGenerator load = new LoadGenerator(processes.url("checkout"), 20)) {
                awaitBaseline();
                for (Scenario scenario : scenarios) {
                    results.add(runScenario(scenario, processes, timeline));
                }
                printer.info("load: " + load.sent() + " requests sent to checkout, " + load.failed() + " failed");
            }
        }
        return results;
    }

    private void awaitBaseline() throws InterruptedException {
        printer.info("collecting a baseline for " + warmUp.toSeconds() + "s");
        Thread.sleep(warmUp.toMillis());
    }

    private ScenarioResult runScenario(Scenario scenario, DemoProcesses processes, TimelineRecorder timeline)
            throws IOException, InterruptedException {
        printer.scenarioStarted(scenario);
        Instant injectedAt = clock.instant();
        TimelineEvent injected = new TimelineEvent(injectedAt, Kind.FAULT_INJECTED, null, scenario.service(),
                scenario.service() + ": POST /fault/" + scenario.fault() + " - " + scenario.description(),
                Map.of("fault", scenario.fault()));
        timeline.add(injected);
        printer.event(scenario, injectedAt, injected);
        var subscription = new Object() {
            final java.util.function.Consumer<TimelineEvent> listener = event -> {
                if (scenario.service().equals(event.service()) && !event.observedAt().isBefore(injectedAt)
                        && event.kind() != Kind.FAULT_INJECTED) {
                    printer.event(scenario, injectedAt, event);
                }
            };
        };
        timeline.onEvent(subscription.listener);
        processes.inject(scenario.service(), scenario.fault());

        boolean verified = timeline.await(e -> matches(e, scenario, injectedAt)
                && e.kind() == Kind.RECOVERY_VERIFIED, scenarioTimeout);
        boolean resolved = verified && timeline.await(e -> matches(e, scenario, injectedAt)
                && e.kind() == Kind.INCIDENT_RESOLVED, Duration.ofSeconds(30));
        List<TimelineEvent> events = timeline.since(injectedAt, scenario.service());
        Duration mttd = events.stream().filter(e -> e.kind() == Kind.ANOMALY_DETECTED).findFirst()
                .map(e -> Duration.between(injectedAt, e.observedAt())).orElse(null);
        Duration mttr = events.stream().filter(e -> e.kind() == Kind.RECOVERY_VERIFIED).findFirst()
                .map(e -> Duration.between(injectedAt, e.observedAt())).orElse(null);
        boolean expectedActionTaken = events.stream().anyMatch(e -> e.kind() == Kind.ACTION_EXECUTED
                && scenario.expectedAction().equals(e.fields().get("action")));
        boolean recovered = verified && resolved && expectedActionTaken;
        String outcome = recovered ? "recovered"
                : !expectedActionTaken ? "not recovered: " + scenario.expectedAction() + " was not executed"
                : !verified ? "not recovered within " + scenarioTimeout.toSeconds() + "s"
                : "recovery verified but the incident was not resolved";
        ScenarioResult result = new ScenarioResult(scenario, injectedAt, mttd, mttr, recovered, outcome, events);
        printer.scenarioFinished(result);
        return result;
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
