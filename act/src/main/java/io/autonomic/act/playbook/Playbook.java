package io.autonomic.act.playbook;

import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.ResourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One remediation recipe: when it applies (trigger), what it does in which order (steps), how carefully (mode,
 * cooldown, attempts, blast radius) and whom to tell when it cannot fix things (escalation).
 *
 * @param cooldown the playbook's own minimum time between two actions on one resource, empty when the file does not
 *     declare one (the worker-wide {@code --cooldown} applies then)
 * @param maxAttempts the playbook's own attempts per resource per sliding hour before the breaker opens, empty when
 *     undeclared (the worker-wide {@code --max-attempts-per-hour} applies then)
 * @param line the line of the playbook in its file, for messages that point back to it
 */
public record Playbook(String name, Layer layer, boolean enabled, ExecutionMode mode, Trigger trigger,
        List<Step> steps, Optional<Duration> cooldown, OptionalInt maxAttempts, BlastRadius blastRadius,
        List<String> escalation, int line) {

    /** When the playbook applies. {@code resourceKind} null: any kind. Labels must all be present on the incident. */
    public record Trigger(String incidentType, ResourceKind resourceKind, Map<String, String> labels) {
    }

    /** What to do when a step's verification fails. */
    public enum OnFailure {
        /** run the next step (the last step escalates instead) */
        NEXT,
        /** stop and hand over to humans */
        ESCALATE
    }

    /** How a step's success is judged. */
    public enum SuccessCriterion {
        /** the health view shows the resource HEALTHY since after the step ran, before its deadline */
        HEALTHY
    }

    /** One action with its parameters and how its success is verified. */
    public record Step(String action, Map<String, String> parameters, SuccessCriterion success, Duration verifyWithin,
            OnFailure onFailure) {
    }

    /**
     * Caps on how much this playbook may do at once.
     *
     * @param maxConcurrent actions of this playbook in flight (executing or awaiting verification) at once
     * @param perMinute actions of one action type started per minute
     * @param maxServiceFraction at most this fraction of one service's instances acted on within the window
     */
    public record BlastRadius(int maxConcurrent, int perMinute, double maxServiceFraction) {
        public static final BlastRadius DEFAULT = new BlastRadius(5, 10, 0.25);
    }

    public Playbook {
        steps = List.copyOf(steps);
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(maxAttempts, "maxAttempts");
        escalation = List.copyOf(escalation);
    }

    /** Whether any step runs this action. */
    public boolean declares(String action) {
        return steps.stream().anyMatch(step -> step.action().equals(action));
    }

    /** The index of the first step running the action, -1 when none does. */
    public int stepOf(String action) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).action().equals(action)) {
                return i;
            }
        }
        return -1;
    }
}
