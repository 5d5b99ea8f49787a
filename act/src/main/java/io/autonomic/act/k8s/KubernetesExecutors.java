package io.autonomic.act.k8s;

import io.autonomic.act.ActionExecutor;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.List;

/**
 * Builds the Kubernetes executor from the worker's options. Nothing is built unless {@code --k8s-enabled=true}.
 * The client is configured the way kubectl is (KUBECONFIG / ~/.kube/config, or the in-cluster service account);
 * {@code --k8s-context} picks a kubeconfig context.
 */
public final class KubernetesExecutors {

    public static final Option<Boolean> ENABLED = Option.bool("k8s-enabled", false,
            "register the Kubernetes executor (k8s.delete-pod, k8s.rollout-restart, k8s.scale, k8s.cordon, k8s.drain)");
    public static final Option<String> CONTEXT = Option.string("k8s-context", null,
            "kubeconfig context to use (default: the current context, or the in-cluster service account)");
    public static final Option<Integer> MAX_EVICTIONS = Option.integer("k8s-max-evictions", 20,
            "the most pods one k8s.drain may evict");

    public static final List<Option<?>> OPTIONS = List.of(ENABLED, CONTEXT, MAX_EVICTIONS);

    private KubernetesExecutors() {
    }

    public static List<ActionExecutor> fromOptions(Options options) {
        if (!Boolean.TRUE.equals(options.get(ENABLED))) {
            return List.of();
        }
        if (options.get(MAX_EVICTIONS) < 1) {
            throw new OptionException("--" + MAX_EVICTIONS.name() + ": must be at least 1");
        }
        String context = options.get(CONTEXT);
        Config config = context == null || context.isBlank() ? Config.autoConfigure(null)
                : Config.autoConfigure(context.trim());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        return List.of(new KubernetesExecutor(client, Clock.systemUTC(), options.get(MAX_EVICTIONS)));
    }
}
