package io.autonomic.cli.embedded;

import io.autonomic.act.ActionWorker;
import io.autonomic.act.WorkerOptions;
import io.autonomic.act.process.ProcessControl;
import io.autonomic.detect.DetectJob;
import io.autonomic.enrich.EnrichJob;
import io.autonomic.enrich.TopologyFile;
import io.autonomic.enrich.TopologyPublisher;
import io.autonomic.ingest.IngestJob;
import io.autonomic.ingest.OtlpHttpReceiver;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.kafka.EmbeddedKafka;
import io.autonomic.schemas.kafka.TopicAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the whole loop in this JVM, in dependency order, and stops it in reverse. Every part is the real one: the
 * Kafka broker, the jobs' own wiring on a Flink MiniCluster, the receiver and the worker.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final Settings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedKafka kafka;
    private OtlpHttpReceiver receiver;
    private FlinkJobs flink;
    private ActionWorker worker;
    private Path signingKeyFile;

    private EmbeddedStack(Settings settings) {
        this.settings = settings;
    }

    public static Settings.Builder builder() {
        return new Settings.Builder();
    }

    /** What the stack is started with. */
    public record Settings(int kafkaPort, int otlpPort, Path dataDir, Path topologyFile, Path detectConfig,
            ProcessControl processControl, List<Path> allowedDirs, boolean dryRun, Duration checkpointInterval,
            boolean startWorker, Duration workerCooldown) {

        public static final class Builder {
            private int kafkaPort = 9092;
            private int otlpPort = 4318;
            private Path dataDir = Path.of("autonomic-data");
            private Path topologyFile;
            private Path detectConfig;
            private ProcessControl processControl;
            private List<Path> allowedDirs = List.of();
            private boolean dryRun;
            private Duration checkpointInterval = Duration.ofSeconds(1);
            private boolean startWorker = true;
            private Duration workerCooldown = Duration.ofMinutes(5);

            public Builder kafkaPort(int port) { this.kafkaPort = port; return this; }
            public Builder otlpPort(int port) { this.otlpPort = port; return this; }
            public Builder dataDir(Path dir) { this.dataDir = Objects.requireNonNull(dir, "dataDir"); return this; }
            public Builder topologyFile(Path file) { this.topologyFile = file; return this; }
            public Builder detectConfig(Path file) { this.detectConfig = file; return this; }
            public Builder processControl(ProcessControl control) { this.processControl = control; return this; }
            public Builder allowedDirs(List<Path> dirs) { this.allowedDirs = List.copyOf(dirs); return this; }
            public Builder dryRun(boolean dryRun) { this.dryRun = dryRun; return this; }
            public Builder checkpointInterval(Duration interval) { this.checkpointInterval = interval; return this; }
            public Builder startWorker(boolean start) { this.startWorker = start; return this; }
            public Builder workerCooldown(Duration cooldown) { this.workerCooldown = cooldown; return this; }

            public EmbeddedStack start() throws Exception {
                if (kafkaPort < 0 || kafkaPort > 65535) {
                    throw new IllegalArgumentException("--kafka-port must be 0..65535, was " + kafkaPort);
                }
                if (otlpPort < 0 || otlpPort > 65535) {
                    throw new IllegalArgumentException("--otlp-port must be 0..65535, was " + otlpPort);
                }
                EmbeddedStack stack = new EmbeddedStack(new Settings(kafkaPort, otlpPort, dataDir, topologyFile,
                        detectConfig, processControl, allowedDirs, dryRun, checkpointInterval, startWorker,
                        workerCooldown));
                try {
                    stack.startAll();
                } catch (Exception e) {
                    stack.close();
                    throw e;
                }
                return stack;
            }
        }
    }

    private void startAll() throws Exception {
        Files.createDirectories(settings.dataDir());
        signingKeyFile = signingKey(settings.dataDir());
        // Parse the operator's files first: a typo should fail before anything starts.
        var topology = settings.topologyFile() == null ? null : TopologyFile.parse(settings.topologyFile()).entries();

        kafka = EmbeddedKafka.start(settings.kafkaPort(), null);
        started.add(kafka);
        Topics topics = Topics.defaults();
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), topics.all(), 1, (short) 1);
        if (topology != null) {
            TopologyPublisher.publish(kafka.bootstrapServers(), topics.topology(), topology);
        }

        receiver = OtlpHttpReceiver.builder()
                .port(settings.otlpPort())
                .bootstrapServers(kafka.bootstrapServers())
                .topic(topics.otlpMetrics().name())
                .build();
        receiver.start();
        started.add(receiver);

        flink = FlinkJobs.start(3);
        started.add(flink);
        submit("autonomic-ingest", IngestJob.options(), IngestJob::build, Map.of());
        submit("autonomic-enrich", EnrichJob.options(), EnrichJob::build, Map.of());
        Map<String, String> detectExtra = new LinkedHashMap<>();
        detectExtra.put("signing-key-file", signingKeyFile.toString());
        if (settings.detectConfig() != null) {
            detectExtra.put("config", settings.detectConfig().toString());
        }
        submit("autonomic-detect", DetectJob.options(), DetectJob::build, detectExtra);

        if (settings.startWorker()) {
            startWorker();
        }
        LOG.info("embedded stack up: kafka {} otlp {}", kafka.bootstrapServers(), receiver.endpoint());
    }

    private interface JobWiring {
        void build(StreamExecutionEnvironment env, Options options) throws Exception;
    }

    private void submit(String name, List<Option<?>> declared, JobWiring wiring, Map<String, String> extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--" + PipelineOptions.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers(),
                "--" + PipelineOptions.CHECKPOINT_INTERVAL.name(), settings.checkpointInterval().toMillis() + "ms",
                "--" + PipelineOptions.GROUP_ID_PREFIX.name(), "autonomic-embedded"));
        extra.forEach((k, v) -> {
            args.add("--" + k);
            args.add(v);
        });
        Options options = Options.parse(args.toArray(String[]::new), declared, List.of(PipelineOptions.TOPIC_PREFIX));
        flink.submit(name, options, (env, opts) -> {
            try {
                wiring.build(env, opts);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot build " + name + ": " + e.getMessage(), e);
            }
        });
    }

    private void startWorker() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--" + PipelineOptions.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers(),
                "--" + WorkerOptions.AUDIT_FILE.name(), settings.dataDir().resolve("audit.jsonl").toString(),
                "--" + WorkerOptions.LEDGER_FILE.name(), settings.dataDir().resolve("ledger.jsonl").toString(),
                "--" + WorkerOptions.DRY_RUN.name(), String.valueOf(settings.dryRun()),
                "--" + WorkerOptions.COOLDOWN.name(), settings.workerCooldown().toMillis() + "ms",
                "--" + WorkerOptions.SIGNING_KEY_FILE.name(), signingKeyFile.toString()));
        if (!settings.allowedDirs().isEmpty()) {
            args.add("--" + WorkerOptions.ALLOWED_DIRS.name());
            args.add(String.join(",", settings.allowedDirs().stream().map(Path::toString).toList()));
        }
        Options options = Options.parse(args.toArray(String[]::new), WorkerOptions.ALL,
                List.of(PipelineOptions.TOPIC_PREFIX));
        worker = ActionWorker.fromOptions(options, settings.processControl(), List.of());
        Thread workerThread = new Thread(worker, "autonomic-worker");
        workerThread.start();
        started.add(worker);
        if (!worker.awaitReady(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the action worker did not become ready within 60s");
        }
    }

    /**
     * The HMAC key detect signs commands with and the worker checks them against: created once per data directory,
     * readable by its owner only.
     */
    private static Path signingKey(Path dataDir) throws java.io.IOException {
        Path file = dataDir.resolve("signing.key");
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            Files.writeString(file, java.util.HexFormat.of().formatHex(key) + "\n");
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // a file system without POSIX permissions: the key stays as protected as the data directory
            }
        }
        return file;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String otlpEndpoint() {
        return receiver.endpoint();
    }

    public Path auditFile() {
        return settings.dataDir().resolve("audit.jsonl");
    }

    public String flinkRestAddress() throws Exception {
        return flink.restAddress();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}: {}", started.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        started.clear();
    }
}
