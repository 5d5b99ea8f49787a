package io.autonomic.act.guard;

import io.autonomic.act.playbook.Playbook;
import io.autonomic.act.playbook.PlaybookCatalog;
import io.autonomic.schemas.avro.RemediationCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Blocks a second action on the same resource until a cooldown has passed since the last one started. The cooldown
 * is the command's playbook's own {@code cooldown} when the playbook declares one, the worker-wide one otherwise.
 */
public final class CooldownGuard implements Guard {

    public static final String NAME = "cooldown";

    private final Duration cooldown;
    private final PlaybookCatalog playbooks;

    /** A guard applying {@code cooldown} to every command, whatever its playbook declares. */
    public CooldownGuard(Duration cooldown) {
        this(cooldown, null);
    }

    /**
     * @param cooldown the worker-wide cooldown, for commands whose playbook declares none
     * @param playbooks where per-playbook cooldowns come from; null: only the worker-wide one applies
     */
    public CooldownGuard(Duration cooldown, PlaybookCatalog playbooks) {
        this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
        this.playbooks = playbooks;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        Optional<Instant> last = context.history().lastExecutionAt(command.getTarget().getId());
        if (last.isPresent()) {
            Optional<Duration> declared = playbooks == null ? Optional.empty()
                    : playbooks.find(command.getPlaybook()).flatMap(Playbook::cooldown);
            Instant allowedFrom = last.get().plus(declared.orElse(cooldown));
            if (context.now().isBefore(allowedFrom)) {
                return GuardDecision.block("cooldown: last action at " + last.get() + ", next allowed from "
                        + allowedFrom + declared.map(d -> " (cooldown " + d + " of playbook "
                        + command.getPlaybook() + ")").orElse(""));
            }
        }
        return GuardDecision.pass();
    }
}
