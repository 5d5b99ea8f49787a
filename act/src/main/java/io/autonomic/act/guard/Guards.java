package io.autonomic.act.guard;

import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.act.verify.HealthView;
import java.util.List;

/** The standard guard chain. */
public final class Guards {

    private Guards() {
    }

    /** {@link #standard(KillSwitch, GuardConfig, List)} without worker-wide maintenance windows. */
    public static List<Guard> standard(KillSwitch killSwitch, GuardConfig config) {
        return standard(killSwitch, config, List.of());
    }

    /**
     * Kill switch, maintenance windows, opt-out, staleness, mode, cooldown, circuit breaker, in that order: cheap
     * global stops first, the breaker last because only a command that would really run may spend an attempt or
     * open it. (The worker appends the blast-radius caps after these.)
     */
    public static List<Guard> standard(KillSwitch killSwitch, GuardConfig config,
            List<MaintenanceWindow> maintenanceWindows) {
        return standard(killSwitch, config, maintenanceWindows, new Overrides(), null);
    }

    /**
     * The full chain: kill switch, maintenance windows, opt-out, human override, staleness (expiry, and with a
     * health view a cleared condition), mode, cooldown, circuit breaker; only the worker-wide cooldown and attempt
     * budget apply.
     */
    public static List<Guard> standard(KillSwitch killSwitch, GuardConfig config,
            List<MaintenanceWindow> maintenanceWindows, Overrides overrides, HealthView healthView) {
        return standard(killSwitch, config, maintenanceWindows, overrides, healthView, null);
    }

    /**
     * The full chain, with the cooldown and attempt budget a command's playbook declares in {@code playbooks}
     * taking the place of the worker-wide ones in {@code config} (null {@code playbooks}: worker-wide only).
     */
    public static List<Guard> standard(KillSwitch killSwitch, GuardConfig config,
            List<MaintenanceWindow> maintenanceWindows, Overrides overrides, HealthView healthView,
            PlaybookCatalog playbooks) {
        return List.of(
                new KillSwitchGuard(killSwitch),
                new MaintenanceWindowGuard(maintenanceWindows),
                new OptOutGuard(),
                new OverrideGuard(overrides),
                new StalenessGuard(healthView),
                new ModeGuard(config.forceDryRun()),
                new CooldownGuard(config.cooldown(), playbooks),
                new CircuitBreakerGuard(config.maxAttemptsPerHour(), playbooks));
    }
}
