package io.autonomic.cli.demo;

import java.util.List;
import java.util.Optional;

/**
 * A fault the demo injects into one of its services, and the remediation it expects the loop to take.
 *
 * @param fault the service's fault endpoint, {@code POST /fault/<fault>}
 */
public record Scenario(String name, String description, String service, String fault, String expectedAction) {

    public static final List<Scenario> ALL = List.of(
            new Scenario("service-5xx",
                    "inventory crashes into a wedged state and answers every request with 503 until it is restarted",
                    "inventory", "5xx", "process.restart"),
            new Scenario("disk-fill",
                    "checkout's logger floods its log directory with rotated files until the disk quota is nearly full",
                    "checkout", "fill-logs", "process.remove-files"));

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
