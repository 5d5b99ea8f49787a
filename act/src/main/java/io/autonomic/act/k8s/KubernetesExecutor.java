package io.autonomic.act.k8s;

import io.autonomic.act.ActionExecutor;
import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.Resource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes actions through the fabric8 client, each idempotent.
 *
 * <ul>
 *   <li>{@value #DELETE_POD}: deletes the target pod {@code k8s-pod:<namespace>/<pod>}; its controller replaces
 *       it. A pod that is already gone is success.</li>
 *   <li>{@value #ROLLOUT_RESTART}: what {@code kubectl rollout restart} does: sets the pod template annotation
 *       {@value #RESTARTED_AT} to now, so the deployment rolls its pods. The deployment comes from parameter
 *       {@code deployment}, the target's {@code k8s.deployment.name} attribute, or a
 *       {@code k8s-deployment:<namespace>/<name>} target. The command's idempotency key is recorded in the
 *       deployment annotation {@value #RESTART_KEY}: a redelivered command finds it and does not restart again.</li>
 *   <li>{@value #SCALE}: sets the deployment's replicas to parameter {@code replicas} (0..{@value #MAX_REPLICAS});
 *       setting a value twice is harmless.</li>
 *   <li>{@value #CORDON}: marks the node unschedulable.</li>
 *   <li>{@value #DRAIN}: cordons the node, then evicts (Eviction API, so PodDisruptionBudgets are honoured) the
 *       pods on it except DaemonSet-owned and mirror pods, at most {@code max-evictions} of them (parameter,
 *       capped by the configured maximum). Pods left over (cap reached or eviction refused by a budget) make the
 *       result a failure that says how many remain; running it again continues where it stopped.</li>
 * </ul>
 * The node comes from parameter {@code node}, the target's {@code k8s.node.name} attribute or a
 * {@code k8s-node:<name>} target. Every name is checked against Kubernetes' own naming rules before any call.
 */
public final class KubernetesExecutor implements ActionExecutor {

    public static final String DELETE_POD = "k8s.delete-pod";
    public static final String ROLLOUT_RESTART = "k8s.rollout-restart";
    public static final String SCALE = "k8s.scale";
    public static final String CORDON = "k8s.cordon";
    public static final String DRAIN = "k8s.drain";
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    public static final String RESTART_KEY = "autonomic.io/last-restart-key";
    public static final int MAX_REPLICAS = 1000;

    static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    static final Pattern SUBDOMAIN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesExecutor.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final int maxEvictions;

    /**
     * @param maxEvictions the most pods one drain may evict, whatever the command asks
     */
    public KubernetesExecutor(KubernetesClient client, Clock clock, int maxEvictions) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxEvictions < 1) {
            throw new IllegalArgumentException("maxEvictions must be at least 1, was " + maxEvictions);
        }
        this.maxEvictions = maxEvictions;
    }

    @Override
    public Set<String> actions() {
        return Set.of(DELETE_POD, ROLLOUT_RESTART, SCALE, CORDON, DRAIN);
    }

    /** A refused name; becomes a failure result without any call. */
    static final class InvalidNameException extends Exception {
        InvalidNameException(String message) {
            super(message);
        }
    }

    @Override
    public ActionResult execute(ActionRequest request) {
        try {
            return switch (request.action()) {
                case DELETE_POD -> deletePod(request);
                case ROLLOUT_RESTART -> rolloutRestart(request);
                case SCALE -> scale(request);
                case CORDON -> cordon(request);
                case DRAIN -> drain(request);
                default -> refused(request, "the Kubernetes executor has no such action");
            };
        } catch (InvalidNameException e) {
            LOG.warn("refused {} on {}: {}", request.action(), request.target().getId(), e.getMessage());
            return refused(request, e.getMessage());
        } catch (KubernetesClientException e) {
            LOG.warn("{} on {} failed: HTTP {} {}", request.action(), request.target().getId(), e.getCode(),
                    e.getMessage());
            return failure(request, e);
        }
    }

    private static ActionResult refused(ActionRequest request, String reason) {
        return ActionResult.failure("refused " + request.action() + ": " + reason, Map.of("refused", "true"));
    }

    private static ActionResult failure(ActionRequest request, KubernetesClientException e) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("resource", request.target().getId());
        facts.put("statusCode", Integer.toString(e.getCode()));
        String what = switch (e.getCode()) {
            case 401, 403 -> "forbidden: the worker's service account lacks the RBAC permission";
            case 404 -> "not found";
            case 409 -> "conflict: the object changed concurrently";
            case 429 -> "throttled by the API server";
            default -> "failed";
        };
        if (e.getCode() == 401 || e.getCode() == 403) {
            facts.put("accessDenied", "true");
        }
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getMessage();
        return ActionResult.failure(request.action() + " on " + request.target().getId() + " " + what + ": " + message,
                facts);
    }

    // ---- names ----

    private record NamespacedName(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    static String check(String value, Pattern shape, String what) throws InvalidNameException {
        if (value == null || !shape.matcher(value).matches()) {
            throw new InvalidNameException(what + " is not a valid Kubernetes name: '"
                    + (value == null ? "" : value.length() > 80 ? value.substring(0, 80) + "…" : value) + "'");
        }
        return value;
    }

    private static NamespacedName parseId(String id, String prefix, String what) throws InvalidNameException {
        if (!id.startsWith(prefix)) {
            throw new InvalidNameException("target '" + id + "' is not a " + prefix + "<namespace>/<name> id");
        }
        String rest = id.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new InvalidNameException("target '" + id + "' is not a " + prefix + "<namespace>/<name> id");
        }
        return new NamespacedName(check(rest.substring(0, slash), LABEL, "namespace of " + what),
                check(rest.substring(slash + 1), SUBDOMAIN, what));
    }

    private static NamespacedName pod(ActionRequest request) throws InvalidNameException {
        return parseId(request.target().getId(), "k8s-pod:", "pod");
    }

    private static NamespacedName deployment(ActionRequest request) throws InvalidNameException {
        Resource target = request.target();
        String name = request.parameter("deployment");
        if (name == null) {
            name = target.getAttributes().get("k8s.deployment.name");
        }
        if (name == null) {
            return parseId(target.getId(), "k8s-deployment:", "deployment");
        }
        String namespace = request.parameter("namespace");
        if (namespace == null) {
            namespace = target.getAttributes().get("k8s.namespace.name");
        }
        if (namespace == null && target.getId().startsWith("k8s-pod:")) {
            namespace = pod(request).namespace();
        }
        return new NamespacedName(check(namespace == null ? "default" : namespace, LABEL, "namespace"),
                check(name, SUBDOMAIN, "deployment"));
    }

    private static String node(ActionRequest request) throws InvalidNameException {
        String name = request.parameter("node");
        if (name == null) {
            name = request.target().getAttributes().get("k8s.node.name");
        }
        if (name == null && request.target().getId().startsWith("k8s-node:")) {
            name = request.target().getId().substring("k8s-node:".length());
        }
        if (name == null) {
            throw new InvalidNameException("no node: give parameter 'node', a k8s.node.name attribute or a "
                    + "k8s-node:<name> target");
        }
        return check(name, SUBDOMAIN, "node");
    }

    // ---- actions ----

    private ActionResult deletePod(ActionRequest request) throws InvalidNameException {
        NamespacedName pod = pod(request);
        List<StatusDetails> deleted = client.pods().inNamespace(pod.namespace()).withName(pod.name()).delete();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("pod", pod.toString());
        if (deleted.isEmpty()) {
            facts.put("alreadyGone", "true");
            return ActionResult.success("pod " + pod + " is already gone", facts);
        }
        return ActionResult.success("deleted pod " + pod, facts);
    }

    private ActionResult rolloutRestart(ActionRequest request) throws InvalidNameException {
        NamespacedName name = deployment(request);
        var resource = client.apps().deployments().inNamespace(name.namespace()).withName(name.name());
        Deployment current = resource.get();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("deployment", name.toString());
        if (current == null) {
            return ActionResult.failure("deployment " + name + " not found", facts);
        }
        Map<String, String> annotations = current.getMetadata().getAnnotations();
        if (annotations != null && request.idempotencyKey().equals(annotations.get(RESTART_KEY))) {
            facts.put("alreadyRestarted", "true");
            return ActionResult.success("deployment " + name + " was already restarted by this command", facts);
        }
        String now = clock.instant().toString();
        resource.edit(deployment -> {
            Map<String, String> meta = new HashMap<>(deployment.getMetadata().getAnnotations() == null ? Map.of()
                    : deployment.getMetadata().getAnnotations());
            meta.put(RESTART_KEY, request.idempotencyKey());
            deployment.getMetadata().setAnnotations(meta);
            var template = deployment.getSpec().getTemplate().getMetadata();
            if (template == null) {
                template = new io.fabric8.kubernetes.api.model.ObjectMeta();
                deployment.getSpec().getTemplate().setMetadata(template);
            }
            Map<String, String> podAnnotations = new HashMap<>(template.getAnnotations() == null ? Map.of()
                    : template.getAnnotations());
            podAnnotations.put(RESTARTED_AT, now);
            template.setAnnotations(podAnnotations);
            return deployment;
        });
        facts.put("restartedAt", now);
        return ActionResult.success("rollout restart of deployment " + name + " at " + now, facts);
    }

    private ActionResult scale(ActionRequest request) throws InvalidNameException {
        NamespacedName name = deployment(request);
        String raw = request.parameter("replicas");
        int replicas;
        try {
            replicas = Integer.parseInt(raw == null ? "" : raw);
        } catch (NumberFormatException e) {
            throw new InvalidNameException("parameter 'replicas' must be an integer 0.." + MAX_REPLICAS);
        }
        if (replicas < 0 || replicas > MAX_REPLICAS) {
            throw new InvalidNameException("parameter 'replicas' must be an integer 0.." + MAX_REPLICAS);
        }
        var resource = client.apps().deployments().inNamespace(name.namespace()).withName(name.name());
        Deployment current = resource.get();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("deployment", name.toString());
        facts.put("replicas", Integer.toString(replicas));
        if (current == null) {
            return ActionResult.failure("deployment " + name + " not found", facts);
        }
        Integer previous = current.getSpec().getReplicas();
        facts.put("previousReplicas", String.valueOf(previous));
        if (previous != null && previous == replicas) {
            facts.put("alreadyApplied", "true");
            return ActionResult.success("deployment " + name + " already has " + replicas + " replicas", facts);
        }
        resource.edit(deployment -> {
            deployment.getSpec().setReplicas(replicas);
            return deployment;
        });
        return ActionResult.success("scaled deployment " + name + " from " + previous + " to " + replicas, facts);
    }

    private ActionResult cordon(ActionRequest request) throws InvalidNameException {
        String node = node(request);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("node", node);
        Boolean wasCordoned = cordonNode(node);
        if (wasCordoned == null) {
            return ActionResult.failure("node " + node + " not found", facts);
        }
        if (wasCordoned) {
            facts.put("alreadyCordoned", "true");
            return ActionResult.success("node " + node + " was already unschedulable", facts);
        }
        return ActionResult.success("cordoned node " + node, facts);
    }

    /** Null when the node does not exist, else whether it already was unschedulable. */
    private Boolean cordonNode(String node) {
        var resource = client.nodes().withName(node);
        var current = resource.get();
        if (current == null) {
            return null;
        }
        if (current.getSpec() != null && Boolean.TRUE.equals(current.getSpec().getUnschedulable())) {
            return true;
        }
        resource.edit(n -> {
            n.getSpec().setUnschedulable(true);
            return n;
        });
        return false;
    }

    private ActionResult drain(ActionRequest request) throws InvalidNameException {
        String node = node(request);
        int limit = maxEvictions;
        String asked = request.parameter("max-evictions");
        if (asked != null) {
            try {
                limit = Math.min(limit, Integer.parseInt(asked));
            } catch (NumberFormatException e) {
                throw new InvalidNameException("parameter 'max-evictions' must be a positive integer");
            }
            if (limit < 1) {
                throw new InvalidNameException("parameter 'max-evictions' must be a positive integer");
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("node", node);
        if (cordonNode(node) == null) {
            return ActionResult.failure("node " + node + " not found", facts);
        }
        List<Pod> onNode = client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems().stream()
                .filter(pod -> pod.getSpec() != null && node.equals(pod.getSpec().getNodeName()))
                .toList();
        List<Pod> evictable = new ArrayList<>();
        int skipped = 0;
        for (Pod pod : onNode) {
            if (ownedByDaemonSet(pod) || isMirror(pod) || isFinished(pod)) {
                skipped++;
            } else {
                evictable.add(pod);
            }
        }
        int evicted = 0;
        int refused = 0;
        for (Pod pod : evictable) {
            if (evicted >= limit) {
                break;
            }
            boolean accepted = client.pods().inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName()).evict();
            if (accepted) {
                evicted++;
            } else {
                // 429 from the Eviction API: a PodDisruptionBudget does not allow it now
                refused++;
            }
        }
        int remaining = evictable.size() - evicted;
        facts.put("evicted", Integer.toString(evicted));
        facts.put("skipped", Integer.toString(skipped));
        facts.put("refusedByBudget", Integer.toString(refused));
        facts.put("remaining", Integer.toString(remaining));
        facts.put("maxEvictions", Integer.toString(limit));
        String summary = "node " + node + " cordoned; evicted " + evicted + " pod(s), skipped " + skipped
                + " DaemonSet/mirror/finished pod(s)";
        if (remaining > 0) {
            return ActionResult.failure(summary + "; " + remaining + " pod(s) remain ("
                    + (refused > 0 ? refused + " refused by a disruption budget, " : "") + "limit " + limit + ")", facts);
        }
        return ActionResult.success(summary, facts);
    }

    private static boolean ownedByDaemonSet(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        return owners != null && owners.stream().anyMatch(owner -> "DaemonSet".equals(owner.getKind()));
    }

    private static boolean isMirror(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey("kubernetes.io/config.mirror");
    }

    private static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
