package io.autonomic.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How one scenario went: when the fault was injected, when the loop first noticed (MTTD) and when the worker
 * verified recovery (MTTR), both measured from the injection.
 */
public record ScenarioResult(Scenario scenario, Instant injectedAt, Duration timeToDetect, Duration timeToRecover,
        boolean recovered, String outcome, List<TimelineEvent> timeline) {
}
