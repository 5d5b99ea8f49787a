package io.autonomic.detect.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's shipped playbooks (act's default-playbooks.yaml, read from the source tree: detect does not depend on
 * act), reduced to what a detect command must agree with: name, trigger and the actions its steps declare.
 */
final class ActPlaybooks {

    static final Path FILE = Path.of("..", "act", "src", "main", "resources", "io", "autonomic", "act", "playbook",
            "default-playbooks.yaml");

    record ActPlaybook(String name, String incidentType, String resourceKind, List<String> actions) {
    }

    static Map<String, ActPlaybook> shipped() {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE.toAbsolutePath(), e);
        }
        Map<String, ActPlaybook> byName = new LinkedHashMap<>();
        for (JsonNode playbook : root.get("playbooks")) {
            List<String> actions = new ArrayList<>();
            playbook.get("steps").forEach(step -> actions.add(step.get("action").asText()));
            JsonNode trigger = playbook.get("trigger");
            byName.put(playbook.get("name").asText(), new ActPlaybook(playbook.get("name").asText(),
                    trigger.get("incidentType").asText(),
                    trigger.hasNonNull("resourceKind") ? trigger.get("resourceKind").asText() : null, actions));
        }
        return byName;
    }
}
