package io.autonomic.enrich;

import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.avro.TopologyEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Turns a declared topology entry (or its absence) into the context attached to each point. */
public final class TopologyContexts {

    /** The point names no service, so no topology entry can ever match it. */
    public static final String NO_SERVICE_NAME = "no-service-name";
    /** The service is not declared (and the point did not wait, or waited recently and nothing came). */
    public static final String NOT_IN_TOPOLOGY = "not-in-topology";
    /** The point waited the bounded time for its service's entry and none arrived. */
    public static final String CONTEXT_WAIT_EXPIRED = "context-wait-expired";

    private static final List<String> FALSE_WORDS = List.of("false", "no", "0", "off");

    private TopologyContexts() {
    }

    /**
     * The context for a point of {@code service}: {@code found=false} with defaults (and remediation allowed)
     * when there is no entry, otherwise the entry's fields. Collections are copied so a context never aliases
     * the broadcast state it came from.
     */
    public static TopologyContext forService(TopologyEntry entryOrNull, String service) {
        return forService(entryOrNull, service, List.of());
    }

    /**
     * As {@link #forService(TopologyEntry, String)}, with the callees observed in traces. An observed dependency
     * alone does not make the service {@code found}: found means declared.
     */
    public static TopologyContext forService(TopologyEntry entryOrNull, String service, List<String> observed) {
        TopologyContext context = declared(entryOrNull, service);
        context.setObservedDependencies(new ArrayList<>(new TreeSet<>(observed)));
        return context;
    }

    /**
     * The context of a point that passes on without a topology entry, saying why: {@link #NO_SERVICE_NAME},
     * {@link #NOT_IN_TOPOLOGY} or {@link #CONTEXT_WAIT_EXPIRED}.
     */
    public static TopologyContext withoutContext(String service, String reason, List<String> observed) {
        TopologyContext context = forService(null, service, observed);
        context.setNoContextReason(reason);
        return context;
    }

    private static TopologyContext declared(TopologyEntry entryOrNull, String service) {
        if (entryOrNull == null) {
            return TopologyContext.newBuilder()
                    .setFound(false)
                    .setService(service)
                    .setLayer(Layer.UNKNOWN)
                    .setDependencies(new ArrayList<>())
                    .setTags(new LinkedHashMap<>())
                    .setAutoRemediate(true)
                    .build();
        }
        return TopologyContext.newBuilder()
                .setFound(true)
                .setService(entryOrNull.getService())
                .setLayer(entryOrNull.getLayer())
                .setOwner(entryOrNull.getOwner())
                .setCriticality(entryOrNull.getCriticality())
                .setEnvironment(entryOrNull.getEnvironment())
                .setDependencies(new ArrayList<>(entryOrNull.getDependencies()))
                .setTags(new LinkedHashMap<>(entryOrNull.getTags()))
                .setAutoRemediate(autoRemediate(entryOrNull.getTags()))
                .build();
    }

    /**
     * False when any tag named AutoRemediate (in any letter case) says false, no, 0 or off. When two spellings
     * disagree the refusal wins: acting on a service that asked not to be touched is the costlier mistake.
     */
    public static boolean autoRemediate(Map<String, String> tags) {
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey().equalsIgnoreCase(TopologyFile.AUTO_REMEDIATE_TAG) && tag.getValue() != null
                    && FALSE_WORDS.contains(tag.getValue().strip().toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }
}
