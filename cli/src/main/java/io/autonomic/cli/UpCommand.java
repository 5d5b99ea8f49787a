package io.autonomic.cli;

import io.autonomic.cli.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the embedded stack (Kafka, OTLP/HTTP receiver, Flink jobs, worker) until interrupted.")
final class UpCommand implements Callable<Integer> {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka bootstrap port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--otlp-port", defaultValue = "4318", description = "OTLP/HTTP port (default: ${DEFAULT-VALUE}).")
    int otlpPort;

    @Option(names = "--data-dir", defaultValue = "autonomic-data", description = "Audit trail, ledger and logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--topology", description = "Topology YAML to publish at start-up.")
    Path topology;

    @Option(names = "--detect-config", description = "Detection rules and playbooks YAML (default: the built-in one).")
    Path detectConfig;

    @Option(names = "--allowed-dir", split = ",", description = "Directories the worker may remove files under.")
    List<Path> allowedDirs = List.of();

    @Option(names = "--dry-run", description = "The worker audits what it would do and acts on nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedStack stack = EmbeddedStack.builder()
                .kafkaPort(kafkaPort)
                .otlpPort(otlpPort)
                .dataDir(dataDir)
                .topologyFile(topology)
                .detectConfig(detectConfig)
                .allowedDirs(allowedDirs)
                .dryRun(dryRun)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("autonomic: shutting down");
            stack.close();
            stopped.countDown();
        }, "autonomic-shutdown"));
        System.out.println("Autonomic is up.");
        System.out.println("  Kafka bootstrap : " + stack.bootstrapServers());
        System.out.println("  OTLP/HTTP       : " + stack.otlpEndpoint() + "/v1/metrics");
        System.out.println("  Flink REST      : " + stack.flinkRestAddress());
        System.out.println("  Audit trail     : " + stack.auditFile().toAbsolutePath());
        System.out.println("Point an OTel SDK (OTEL_EXPORTER_OTLP_ENDPOINT=" + stack.otlpEndpoint()
                + ") or a collector's kafka exporter at it. Ctrl-C stops.");
        stopped.await();
        return 0;
    }
}
