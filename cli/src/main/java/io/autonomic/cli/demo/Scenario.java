package io.autonomic.cli.demo;

import java.util.List;
import java.util.Optional;

/**
 * A fault the demo injects into one of its services, and the remediation it expects the loop to take.
 *
 * @param fault the service's fault endpoint, {@code POST /fault/<fault>}
 * @param dependents services that depend on the faulty one and fail with it: their events belong to this
 *        scenario's timeline, and the loop must correlate them into the faulty service's one incident instead of
 *        opening incidents (and restarts) of their own
 */
public record Scenario(String name, String description, String service, String fault, String expectedAction,
        Kind kind, List<String> dependents) {

    public Scenario {
        dependents = List.copyOf(dependents);
    }

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
                    "inventory", "5xx", "process.restart", Kind.AUTONOMOUS, List.of()),
            new Scenario("disk-fill",
                    "checkout's logger floods its log directory with rotated files until the disk quota is nearly full",
                    "checkout", "fill-logs", "process.remove-files", Kind.AUTONOMOUS, List.of()),
            new Scenario("shadow-heap",
                    "payments leaks heap until 90% of it is live; the restart playbook is in shadow mode, so it is "
                            + "proposed, approved by an operator (autonomic approve), then executed and verified",
                    "payments", "leak", "process.restart", Kind.SHADOW, List.of()),
            new Scenario("db-degradation",
                    DemoDatabase.NAME + "'s data volume starts failing: " + (int) (DemoDatabase.IO_ERROR_SHARE * 100)
                            + "% of queries fail with I/O errors, so checkout, inventory and payments, which query it "
                            + "on every request, fail too; one incident names the database as root cause and restarts it",
                    DemoDatabase.NAME, DemoDatabase.IO_ERRORS_FAULT, "process.restart", Kind.AUTONOMOUS,
                    List.of("checkout", "inventory", "payments")),
            new Scenario("storm",
                    "all " + FleetSimulatorSettings.INSTANCES + " instances of the fleet service fail at once; the "
                            + "worker restarts at most " + FleetSimulatorSettings.PER_MINUTE_CAP + " a minute and "
                            + FleetSimulatorSettings.CONCURRENT_CAP + " at a time, queues the rest, escalates what expires",
                    FleetSimulator.SERVICE, "storm", "process.restart", Kind.STORM, List.of()));

    /** Whether an event of {@code service} belongs to this scenario: the faulty service's or a dependent's. */
    public boolean involves(String service) {
        return this.service.equals(service) || dependents.contains(service);
    }

    /** Whether the scenario needs the demo database running (the services then query it on every request). */
    public boolean usesDatabase() {
        return DemoDatabase.NAME.equals(service) || dependents.contains(DemoDatabase.NAME);
    }

    public static Optional<Scenario> named(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
