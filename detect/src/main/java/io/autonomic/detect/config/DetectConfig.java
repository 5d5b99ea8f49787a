package io.autonomic.detect.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything detect is configured with: threshold rules, playbooks, incident grouping and the learned detector.
 * Read from YAML ({@link #parse}, {@link #load}); {@link #defaults()} is the shipped
 * {@value #DEFAULT_RESOURCE} resource. A playbook whose incident type no rule produces is allowed: learned
 * diagnosers may produce it later.
 */
public record DetectConfig(List<ThresholdRule> rules, List<Playbook> playbooks, IncidentSettings incident,
        DetectorSettings detector) implements Serializable {

    public static final String DEFAULT_RESOURCE = "/io/autonomic/detect/default-detect.yaml";

    public DetectConfig {
        rules = List.copyOf(rules);
        playbooks = List.copyOf(playbooks);
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(detector, "detector");
    }

    /**
     * Parses YAML text; {@code source} names it in error messages.
     *
     * @throws DetectConfigException naming the line and field of the first problem
     */
    public static DetectConfig parse(String yaml, String source) {
        return new ConfigReader(source).read(yaml);
    }

    /** Reads a YAML file; see {@link #parse}. */
    public static DetectConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DetectConfigException(file.toString(), "cannot read the detect configuration: " + e, e);
        }
        return parse(text, file.toString());
    }

    /** The shipped default configuration. */
    public static DetectConfig defaults() {
        try (InputStream in = DetectConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + DEFAULT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULT_RESOURCE, e);
        }
    }

    /** The file when given, else {@link #defaults()}. */
    public static DetectConfig loadOrDefault(Path fileOrNull) {
        return fileOrNull == null ? defaults() : load(fileOrNull);
    }
}
