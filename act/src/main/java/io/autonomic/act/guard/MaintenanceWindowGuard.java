package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.TopologyContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pauses automation while people work on a resource: blocks during a maintenance window declared by the target's
 * topology tag {@value #TAG} ({@code START/DURATION[,…]}, see {@link MaintenanceWindow}) or configured for the whole
 * worker. A tag that cannot be read blocks too: someone meant to declare a window, and guessing could act in it.
 */
public final class MaintenanceWindowGuard implements Guard {

    public static final String NAME = "maintenance-window";
    public static final String TAG = "maintenance";

    private final List<MaintenanceWindow> workerWindows;

    public MaintenanceWindowGuard(List<MaintenanceWindow> workerWindows) {
        this.workerWindows = List.copyOf(Objects.requireNonNull(workerWindows, "workerWindows"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        Instant now = context.now();
        for (MaintenanceWindow window : workerWindows) {
            if (window.covers(now)) {
                return GuardDecision.block("worker maintenance window " + window + " until " + window.end());
            }
        }
        TopologyContext target = command.getTargetContext();
        if (target == null) {
            return GuardDecision.pass();
        }
        for (Map.Entry<String, String> tag : target.getTags().entrySet()) {
            if (!TAG.equalsIgnoreCase(tag.getKey())) {
                continue;
            }
            List<MaintenanceWindow> windows;
            try {
                windows = MaintenanceWindow.parseList(tag.getValue());
            } catch (IllegalArgumentException e) {
                return GuardDecision.block("unreadable maintenance tag " + tag.getKey() + "=" + tag.getValue()
                        + "; not acting while it may declare a window");
            }
            for (MaintenanceWindow window : windows) {
                if (window.covers(now)) {
                    return GuardDecision.block("resource in maintenance window " + window + " (tag " + tag.getKey()
                            + ") until " + window.end());
                }
            }
        }
        return GuardDecision.pass();
    }
}
