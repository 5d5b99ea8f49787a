package io.autonomic.act.process;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.avro.Resource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts services by running a configured argv per service name, for example
 *
 * <pre>
 * processes:
 *   checkout:
 *     restart: ["systemctl", "restart", "checkout"]
 *     timeout: 30s          # optional, default 60s
 * </pre>
 *
 * The argv runs through {@link ProcessBuilder} exactly as configured: no shell, and nothing from telemetry or the
 * command is ever placed in it. The target's service name only selects which configured argv runs. A non-zero
 * exit code or a timeout (the process is then killed) fails the restart.
 */
public final class CommandProcessControl implements ProcessControl {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(CommandProcessControl.class);
    private static final int OUTPUT_TAIL_CHARS = 500;

    private final Map<String, ProcessCommand> processes;

    private CommandProcessControl(Map<String, ProcessCommand> processes) {
        this.processes = Map.copyOf(processes);
    }

    /** One service's restart argv and how long it may run. */
    public record ProcessCommand(List<String> restart, Duration timeout) {
        public ProcessCommand {
            Objects.requireNonNull(restart, "restart");
            if (restart.isEmpty() || restart.stream().anyMatch(arg -> arg == null || arg.isEmpty())) {
                throw new IllegalArgumentException("restart must be a non-empty list of non-empty strings");
            }
            restart = List.copyOf(restart);
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
        }
    }

    public static CommandProcessControl of(Map<String, ProcessCommand> processes) {
        return new CommandProcessControl(processes);
    }

    /** No configured services: every restart fails, naming the service that has no argv. */
    public static CommandProcessControl none() {
        return new CommandProcessControl(Map.of());
    }

    /**
     * Reads the YAML file; any error fails with an {@link IllegalArgumentException} naming the file, the line and
     * the field.
     */
    public static CommandProcessControl fromYaml(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read process config " + file + ": " + e);
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        ConfigFile parsed;
        try {
            parsed = yaml.readValue(text, ConfigFile.class);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String line = location == null || location.getLineNr() < 0 ? "" : " line " + location.getLineNr();
            String field = e instanceof JsonMappingException mapping ? fieldPath(mapping) : "";
            String cause = e.getCause() instanceof IllegalArgumentException ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new IllegalArgumentException("process config " + file + line + (field.isEmpty() ? "" : " at " + field)
                    + ": " + cause);
        }
        if (parsed == null || parsed.processes == null) {
            throw new IllegalArgumentException("process config " + file + ": top-level 'processes' map is required");
        }
        Map<String, ProcessCommand> processes = new LinkedHashMap<>();
        parsed.processes.forEach((service, entry) -> {
            if (entry == null || entry.restart == null) {
                throw new IllegalArgumentException("process config " + file + " at processes." + service
                        + ": 'restart' (a list of strings) is required");
            }
            processes.put(service, new ProcessCommand(entry.restart, entry.timeout));
        });
        return new CommandProcessControl(processes);
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    public Map<String, ProcessCommand> processes() {
        return processes;
    }

    @Override
    public void restart(Resource target) throws IOException, InterruptedException {
        String service = serviceName(target);
        ProcessCommand command = service == null ? null : processes.get(service);
        if (command == null) {
            throw new IllegalArgumentException("no restart command configured for service '" + service + "' of "
                    + target.getId() + "; configured services: " + processes.keySet());
        }
        run(service, command);
    }

    private static String serviceName(Resource target) {
        if (target.getService() != null && !target.getService().isBlank()) {
            return target.getService();
        }
        return target.getAttributes().get("service.name");
    }

    private static void run(String service, ProcessCommand command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("autonomic-restart-", ".log");
        try {
            Process process = new ProcessBuilder(command.restart())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            LOG.info("restarting {}: pid {} running {}", service, process.pid(), command.restart());
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("restart of " + service + " timed out after " + command.timeout()
                        + " and was killed; output: " + tail(output));
            }
            int exit = process.exitValue();
            if (exit != 0) {
                throw new IOException("restart of " + service + " exited with code " + exit + "; output: " + tail(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String tail(Path output) {
        try {
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            return text.length() <= OUTPUT_TAIL_CHARS ? text : "…" + text.substring(text.length() - OUTPUT_TAIL_CHARS);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /*
     * Bound through setters rather than a creator: Jackson then reports an error at the offending line instead of
     * at the end of the enclosing object.
     */
    static final class ConfigFile {
        Map<String, ConfigEntry> processes;

        @JsonProperty("processes")
        void setProcesses(Map<String, ConfigEntry> processes) {
            this.processes = processes;
        }
    }

    static final class ConfigEntry {
        List<String> restart;
        Duration timeout;

        @JsonProperty("restart")
        void setRestart(List<String> restart) {
            if (restart == null || restart.isEmpty() || restart.stream().anyMatch(arg -> arg == null || arg.isEmpty())) {
                throw new IllegalArgumentException("restart must be a non-empty list of non-empty strings");
            }
            this.restart = restart;
        }

        @JsonProperty("timeout")
        void setTimeout(String timeout) {
            try {
                this.timeout = Option.parseDuration(timeout);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("timeout '" + timeout + "' is not a duration such as 30s");
            }
        }
    }
}
