/**
 * The Kubernetes executor (fabric8 client): delete a pod, rollout restart and scale a deployment, cordon and
 * drain a node. Names are checked against Kubernetes' naming rules before any call; every action is idempotent.
 * Built by {@link io.autonomic.act.k8s.KubernetesExecutors#fromOptions}.
 */
package io.autonomic.act.k8s;
