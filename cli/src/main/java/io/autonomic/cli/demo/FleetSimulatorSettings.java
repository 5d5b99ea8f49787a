package io.autonomic.cli.demo;

/**
 * The storm scenario's size and the caps it expects to see hold: those of the shipped {@code restart-on-5xx}
 * playbook (act's default-playbooks.yaml).
 */
final class FleetSimulatorSettings {

    static final int INSTANCES = 24;
    static final int PER_MINUTE_CAP = 10;
    static final int CONCURRENT_CAP = 5;

    private FleetSimulatorSettings() {
    }
}
