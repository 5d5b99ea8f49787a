package io.autonomic.detect.incident;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids: the same evidence replayed after a restore yields the same incident and command ids, so the
 * worker's idempotency check sees a duplicate instead of a new intent.
 */
public final class IncidentIds {

    private IncidentIds() {
    }

    public static String incidentId(String resourceId, long firstAnomalyMillis) {
        return uuid("incident|" + resourceId + "|" + firstAnomalyMillis);
    }

    public static String commandId(String incidentId, String playbook, int step) {
        return uuid("command|" + incidentId + "|" + playbook + "|" + step);
    }

    public static String idempotencyKey(String incidentId, String playbook, int step) {
        return incidentId + "/" + playbook + "/" + step;
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
