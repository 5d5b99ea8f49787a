package io.autonomic.cli.demo;

import java.util.List;
import java.util.Optional;

/**
 * A fault the demo injects into one of its services, and the remediation it expects the loop to take.
 *
 * @param fault the service's fault endpoint, {@code POST /fault/<fault>}
 */
public record Scenario(String name, String description, String service, String fault, String expectedAction,
        Kind kind) {

    /** How the demo drives a scenario. */
    public enum Kind {
        /** The loop acts on its own. */
        AUTONOMOUS,
        /** The playbook only proposes; the demo, as the operator, approves from the CLI's code path. */
        SHADOW,
        /** Many resources fail at once; the worker's blast-radius caps must hold. */
        STORM
    }

    public static final List<Scenario> ALL = List.of(
            new Scenario("service-5xx",
                    "inventory crashes into a wedged state and answers every request with 503 until it is restarted",
                    "inventory", "5xx", "process.restart", Kind.AUTONOMOUS),
            new Scenario("disk-fill",
                    "checkout's logger floods its log directory with rotated files until the disk quota is nearly full",
                    "checkout", "fill-logs", "process.remove-files", Kind.AUTONOMOUS),
            new Scenario("shadow-heap",
                    "payments leaks heap until 90% of it is live; the restart playbook is in shadow mode, so it is "
                            + "proposed, approved by an operator (autonomic approve), then executed and verified",
                    "payments", "leak", "process.restart", Kind.SHADOW),
            new Scenario("storm",
                    "all " + FleetSimulatorSettings.INSTANCES + " instances of the fleet service fail at once; the "
                            + "worker restarts at most " + FleetSimulatorSettings.PER_MINUTE_CAP + " a minute and "
                            + FleetSimulatorSettings.CONCURRENT_CAP + " at a time, queues the rest, escalates what expires",
                    FleetSimulator.SERVICE, "storm", "process.restart", Kind.STORM));

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
