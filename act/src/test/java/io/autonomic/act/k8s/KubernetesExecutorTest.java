package io.autonomic.act.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.act.ActionRequest;
import io.autonomic.act.ActionResult;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    // injected by the extension: one CRUD-mode API server for the class, emptied before each test
    static KubernetesMockServer server;
    static KubernetesClient client;
    private KubernetesExecutor executor;
    private final List<String> evicted = new java.util.concurrent.CopyOnWriteArrayList<>();

    private KubernetesClient executorClient;

    @BeforeEach
    void reset() {
        server.reset();
        // the client retries 429 answers with backoff; without retries a refused eviction is reported at once
        executorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        executor = new KubernetesExecutor(executorClient, Clock.fixed(NOW, ZoneOffset.UTC), 3);
    }

    @AfterEach
    void closeClient() {
        executorClient.close();
    }

    private static ActionRequest request(String action, String targetId, Map<String, String> attributes,
            Map<String, String> parameters) {
        Resource target = Resource.newBuilder().setId(targetId).setKind(ResourceKind.K8S_POD).setService("checkout")
                .setAttributes(attributes).build();
        return new ActionRequest(action, target, parameters, "inc-7/restart/0");
    }

    private static void createDeployment(String namespace, String name, int replicas) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("checkout:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    private static void createPod(String namespace, String name, String node, String ownerKind) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("app:1").endContainer()
                .endSpec().withNewStatus().withPhase("Running").endStatus();
        if (ownerKind != null) {
            pod.editMetadata().addNewOwnerReference().withKind(ownerKind).withName(name + "-owner")
                    .withApiVersion("apps/v1").withUid("uid-" + name).endOwnerReference().endMetadata();
        }
        client.pods().inNamespace(namespace).resource(pod.build()).create();
    }

    /**
     * CRUD mode indexes objects by name and namespace only, so it cannot answer the executor's
     * {@code fieldSelector=spec.nodeName=<node>} list; this expectation answers it with the stored pods on that node,
     * while every other call (get, edit, eviction) goes to the CRUD store.
     */
    private static void answerPodsOnNode(String node) {
        List<Pod> onNode = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(pod -> node.equals(pod.getSpec().getNodeName())).toList();
        server.expect().get().withPath("/api/v1/pods?fieldSelector=spec.nodeName%3D" + node)
                .andReturn(200, new PodListBuilder().withItems(onNode).build()).once();
    }

    /**
     * CRUD mode would store a POSTed Eviction as an object of its own; the Eviction API is answered here the way
     * an API server does: 201 when the eviction is accepted, 429 when a disruption budget forbids it. Accepted
     * evictions are recorded in {@link #evicted}.
     */
    private void answerEviction(String namespace, String pod, int status) {
        server.expect().post().withPath("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/eviction")
                .andReply(status, recorded -> {
                    if (status == 201) {
                        evicted.add(namespace + "/" + pod);
                    }
                    return new StatusBuilder().withCode(status).withStatus(status == 201 ? "Success" : "Failure")
                            .build();
                }).once();
    }

    private static void createNode(String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .endSpec().build()).create();
    }

    @Test
    void deletePod_deletesTheTargetPodAndIsIdempotent() {
        createPod("prod", "checkout-7d9f", "node-1", "ReplicaSet");
        ActionRequest request = request(KubernetesExecutor.DELETE_POD, "k8s-pod:prod/checkout-7d9f", Map.of(), Map.of());

        ActionResult first = executor.execute(request);
        ActionResult second = executor.execute(request);

        assertThat(first.success()).as(first.detail()).isTrue();
        assertThat(first.attributes()).doesNotContainKey("alreadyGone");
        assertThat(client.pods().inNamespace("prod").withName("checkout-7d9f").get()).isNull();
        assertThat(second.success()).isTrue();
        assertThat(second.attributes()).containsEntry("alreadyGone", "true");
    }

    @Test
    void deletePod_malformedId_refusedWithoutCall() {
        createPod("prod", "checkout-7d9f", "node-1", null);

        ActionResult result = executor.execute(request(KubernetesExecutor.DELETE_POD, "k8s-pod:prod/../kube-system/x",
                Map.of(), Map.of()));
        ActionResult noNamespace = executor.execute(request(KubernetesExecutor.DELETE_POD, "k8s-pod:checkout-7d9f",
                Map.of(), Map.of()));

        assertThat(result.attributes()).containsEntry("refused", "true");
        assertThat(noNamespace.attributes()).containsEntry("refused", "true");
        assertThat(client.pods().inNamespace("prod").withName("checkout-7d9f").get()).isNotNull();
    }

    @Test
    void rolloutRestart_setsRestartedAtOnThePodTemplateOncePerCommand() {
        createDeployment("prod", "checkout", 3);
        ActionRequest request = request(KubernetesExecutor.ROLLOUT_RESTART, "k8s-pod:prod/checkout-7d9f-abcde",
                Map.of("k8s.deployment.name", "checkout", "k8s.namespace.name", "prod"), Map.of());

        ActionResult first = executor.execute(request);
        String afterFirst = client.apps().deployments().inNamespace("prod").withName("checkout").get()
                .getMetadata().getResourceVersion();
        ActionResult second = executor.execute(request);

        assertThat(first.success()).as(first.detail()).isTrue();
        var deployment = client.apps().deployments().inNamespace("prod").withName("checkout").get();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(KubernetesExecutor.RESTARTED_AT, "2025-03-01T10:00:00Z");
        assertThat(deployment.getMetadata().getAnnotations()).containsEntry(KubernetesExecutor.RESTART_KEY, "inc-7/restart/0");
        assertThat(second.success()).isTrue();
        assertThat(second.attributes()).containsEntry("alreadyRestarted", "true");
        assertThat(deployment.getMetadata().getResourceVersion()).isEqualTo(afterFirst);
    }

    @Test
    void rolloutRestart_missingDeployment_fails() {
        ActionResult result = executor.execute(request(KubernetesExecutor.ROLLOUT_RESTART, "k8s-deployment:prod/ghost",
                Map.of(), Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("prod/ghost").contains("not found");
    }

    @Test
    void scale_setsReplicasAndRepeatsHarmlessly() {
        createDeployment("prod", "checkout", 2);
        ActionRequest request = request(KubernetesExecutor.SCALE, "k8s-deployment:prod/checkout", Map.of(),
                Map.of("replicas", "5"));

        ActionResult first = executor.execute(request);
        ActionResult second = executor.execute(request);

        assertThat(first.success()).as(first.detail()).isTrue();
        assertThat(first.attributes()).containsEntry("previousReplicas", "2").containsEntry("replicas", "5");
        assertThat(client.apps().deployments().inNamespace("prod").withName("checkout").get().getSpec().getReplicas())
                .isEqualTo(5);
        assertThat(second.attributes()).containsEntry("alreadyApplied", "true");
    }

    @Test
    void scale_replicasOutOfRange_refused() {
        createDeployment("prod", "checkout", 2);

        ActionResult result = executor.execute(request(KubernetesExecutor.SCALE, "k8s-deployment:prod/checkout",
                Map.of(), Map.of("replicas", "100000")));

        assertThat(result.attributes()).containsEntry("refused", "true");
        assertThat(client.apps().deployments().inNamespace("prod").withName("checkout").get().getSpec().getReplicas())
                .isEqualTo(2);
    }

    @Test
    void cordon_marksTheNodeUnschedulableOnce() {
        createNode("node-1");
        ActionRequest request = request(KubernetesExecutor.CORDON, "k8s-pod:prod/checkout-7d9f",
                Map.of("k8s.node.name", "node-1"), Map.of());

        ActionResult first = executor.execute(request);
        ActionResult second = executor.execute(request);

        assertThat(first.success()).as(first.detail()).isTrue();
        assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable()).isTrue();
        assertThat(second.attributes()).containsEntry("alreadyCordoned", "true");
    }

    @Test
    void drain_cordonsAndEvictsPodsExceptDaemonSets() {
        createNode("node-1");
        createPod("prod", "checkout-a", "node-1", "ReplicaSet");
        createPod("prod", "checkout-b", "node-1", "ReplicaSet");
        createPod("kube-system", "log-agent", "node-1", "DaemonSet");
        createPod("prod", "checkout-c", "node-2", "ReplicaSet");
        answerPodsOnNode("node-1");
        answerEviction("prod", "checkout-a", 201);
        answerEviction("prod", "checkout-b", 201);

        ActionResult result = executor.execute(request(KubernetesExecutor.DRAIN, "k8s-node:node-1", Map.of(), Map.of()));

        assertThat(result.success()).as(result.detail()).isTrue();
        assertThat(result.attributes()).containsEntry("evicted", "2").containsEntry("skipped", "1")
                .containsEntry("remaining", "0");
        assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable()).isTrue();
        assertThat(evicted).containsExactlyInAnyOrder("prod/checkout-a", "prod/checkout-b");
    }

    @Test
    void drain_moreEvictablePodsThanTheLimit_stopsAtTheLimitAndReportsTheRest() {
        createNode("node-1");
        for (int i = 0; i < 5; i++) {
            createPod("prod", "worker-" + i, "node-1", "ReplicaSet");
            answerEviction("prod", "worker-" + i, 201);
        }
        answerPodsOnNode("node-1");

        ActionResult result = executor.execute(request(KubernetesExecutor.DRAIN, "k8s-node:node-1", Map.of(),
                Map.of("max-evictions", "10")));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("evicted", "3").containsEntry("remaining", "2")
                .containsEntry("maxEvictions", "3");
        assertThat(evicted).hasSize(3);
    }

    @Test
    void drain_evictionRefusedByDisruptionBudget_reportsItAndKeepsGoing() {
        createNode("node-1");
        createPod("prod", "db-0", "node-1", "StatefulSet");
        createPod("prod", "checkout-a", "node-1", "ReplicaSet");
        answerPodsOnNode("node-1");
        answerEviction("prod", "db-0", 429);
        answerEviction("prod", "checkout-a", 201);

        ActionResult result = executor.execute(request(KubernetesExecutor.DRAIN, "k8s-node:node-1", Map.of(), Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("evicted", "1").containsEntry("refusedByBudget", "1")
                .containsEntry("remaining", "1");
        assertThat(result.detail()).contains("disruption budget");
        assertThat(evicted).containsExactly("prod/checkout-a");
    }

    @Test
    void drain_unknownNode_failsWithoutEvicting() {
        createPod("prod", "checkout-a", "node-9", "ReplicaSet");

        ActionResult result = executor.execute(request(KubernetesExecutor.DRAIN, "k8s-node:node-9", Map.of(), Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.detail()).contains("node-9").contains("not found");
        assertThat(client.pods().inNamespace("prod").withName("checkout-a").get()).isNotNull();
    }

    @Test
    void deletePod_forbiddenByRbac_failsSayingSo() {
        server.expect().delete().withPath("/api/v1/namespaces/prod/pods/checkout-7d9f")
                .andReturn(403, new StatusBuilder().withCode(403).withStatus("Failure").withReason("Forbidden")
                        .withMessage("pods \"checkout-7d9f\" is forbidden: User cannot delete resource").build())
                .once();

        ActionResult result = executor.execute(request(KubernetesExecutor.DELETE_POD, "k8s-pod:prod/checkout-7d9f",
                Map.of(), Map.of()));

        assertThat(result.success()).isFalse();
        assertThat(result.attributes()).containsEntry("accessDenied", "true").containsEntry("statusCode", "403");
        assertThat(result.detail()).contains("RBAC");
    }

    @Test
    void fromOptions_notEnabled_buildsNothing() {
        assertThat(KubernetesExecutors.fromOptions(io.autonomic.schemas.Options.of(Map.of(),
                KubernetesExecutors.OPTIONS))).isEmpty();
    }

    @Test
    void fromOptions_enabled_oneExecutorForAllActions() {
        var executors = KubernetesExecutors.fromOptions(io.autonomic.schemas.Options.of(Map.of("k8s-enabled", "true",
                "k8s-max-evictions", "5"), KubernetesExecutors.OPTIONS));

        assertThat(executors).singleElement().satisfies(e -> assertThat(e.actions()).containsExactlyInAnyOrder(
                "k8s.delete-pod", "k8s.rollout-restart", "k8s.scale", "k8s.cordon", "k8s.drain"));
    }
}
