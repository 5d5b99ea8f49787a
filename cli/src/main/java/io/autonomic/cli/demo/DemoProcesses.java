package io.autonomic.cli.demo;

import io.autonomic.act.process.ProcessControl;
import io.autonomic.schemas.avro.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the demo services as real child JVMs and restarts them on the worker's behalf: the demo's stand-in for
 * systemd or an orchestrator. Restarting a service means stopping its process and starting a fresh one with the
 * same arguments, which is what clears a wedged service's fault.
 */
public final class DemoProcesses implements ProcessControl, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoProcesses.class);

    private final String classpath;
    private final Path workDir;
    private final String otlpEndpoint;
    private final Map<String, ServiceSpec> specs = new LinkedHashMap<>();
    private final Map<String, Process> running = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /**
     * One child process: a {@link DemoService} (optionally calling a downstream service and querying the database)
     * or the {@link DemoDatabase}.
     *
     * @param downstream base URL of the service this one calls on every request, or null
     * @param database the database this service queries on every request, or null
     */
    public record ServiceSpec(String name, int port, String downstream, ServiceSpec database, Role role) {

        public enum Role {
            SERVICE(DemoService.class),
            DATABASE(DemoDatabase.class);

            private final Class<?> main;

            Role(Class<?> main) {
                this.main = main;
            }
        }

        public ServiceSpec {
            if (database != null && database.role() != Role.DATABASE) {
                throw new IllegalArgumentException(name + ": " + database.name() + " is not a database");
            }
        }

        public static ServiceSpec service(String name, int port, String downstream, ServiceSpec database) {
            return new ServiceSpec(name, port, downstream, database, Role.SERVICE);
        }

        public static ServiceSpec database(String name, int port) {
            return new ServiceSpec(name, port, null, null, Role.DATABASE);
        }

        String url() {
            return "http://localhost:" + port;
        }
    }

    public DemoProcesses(String classpath, Path workDir, String otlpEndpoint) {
        this.classpath = classpath;
        this.workDir = workDir;
        this.otlpEndpoint = otlpEndpoint;
    }

    public Path logDir(String service) {
        return workDir.resolve("services").resolve(service).resolve("logs").toAbsolutePath();
    }

    public URI url(String service) {
        return URI.create("http://localhost:" + specs.get(service).port());
    }

    public synchronized void start(ServiceSpec spec) throws IOException, InterruptedException {
        specs.put(spec.name(), spec);
        launch(spec);
    }

    private void launch(ServiceSpec spec) throws IOException, InterruptedException {
        Path dir = workDir.resolve("services").resolve(spec.name());
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, spec.role().main.getName(),
                "--name", spec.name(),
                "--port", String.valueOf(spec.port()),
                "--otlp", otlpEndpoint,
                "--log-dir", logDir(spec.name()).toString()));
        if (spec.downstream() != null) {
            command.add("--downstream");
            command.add(spec.downstream());
        }
        if (spec.database() != null) {
            command.addAll(List.of("--database", spec.database().url(), "--database-name", spec.database().name()));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.out").toFile()))
                .start();
        running.put(spec.name(), process);
        awaitHealthy(spec, process);
        LOG.info("demo service {} running as pid {}", spec.name(), process.pid());
    }

    private void awaitHealthy(ServiceSpec spec, Process process) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        URI health = URI.create("http://localhost:" + spec.port() + "/healthz");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("demo service " + spec.name() + " exited with " + process.exitValue()
                        + "; see " + workDir.resolve("services").resolve(spec.name()).resolve("console.out"));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the JVM is still starting
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IOException("demo service " + spec.name() + " did not answer /healthz within 60s");
    }

    /** Restarts the process of the target's service; fails for a service this demo did not start. */
    @Override
    public synchronized void restart(Resource target) throws Exception {
        String service = target.getService();
        ServiceSpec spec = service == null ? null : specs.get(service);
        if (spec == null) {
            throw new IllegalArgumentException("no demo process for resource " + target.getId());
        }
        stop(running.remove(service));
        launch(spec);
    }

    public synchronized boolean isRunning(String service) {
        Process process = running.get(service);
        return process != null && process.isAlive();
    }

    /** Sends a fault-injection request to a running service. */
    public void inject(String service, String fault) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url(service).resolve("/fault/" + fault))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("fault injection " + fault + " on " + service + " answered " + response.statusCode());
        }
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (Process process : running.values()) {
            stop(process);
        }
        running.clear();
    }
}
