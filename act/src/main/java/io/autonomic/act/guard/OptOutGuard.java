package io.autonomic.act.guard;

import io.autonomic.schemas.avro.RemediationCommand;
import io.autonomic.schemas.avro.TopologyContext;
import java.util.Map;

/**
 * Blocks commands for services that opted out of automatic remediation: {@code autoRemediate=false} in the
 * target's topology context, or a tag {@code AutoRemediate=false} (key and value compared ignoring case, so a
 * hand-written tag is not missed).
 */
public final class OptOutGuard implements Guard {

    public static final String NAME = "opt-out";
    public static final String TAG = "AutoRemediate";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuardDecision check(RemediationCommand command, GuardContext context) {
        TopologyContext target = command.getTargetContext();
        if (target == null) {
            return GuardDecision.pass();
        }
        if (!target.getAutoRemediate()) {
            return GuardDecision.block("service opted out: autoRemediate=false");
        }
        for (Map.Entry<String, String> tag : target.getTags().entrySet()) {
            if (TAG.equalsIgnoreCase(tag.getKey()) && "false".equalsIgnoreCase(String.valueOf(tag.getValue()).trim())) {
                return GuardDecision.block("service opted out: tag " + tag.getKey() + "=" + tag.getValue());
            }
        }
        return GuardDecision.pass();
    }
}
