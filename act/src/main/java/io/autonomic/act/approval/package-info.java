/**
 * Shadow mode's way out: humans approve NEEDS_APPROVAL commands through the approvals topic
 * ({@link io.autonomic.act.approval.ApprovalPublisher}, read by {@link io.autonomic.act.approval.ApprovalListener})
 * or the worker's {@code POST /approvals/{commandId}}.
 */
package io.autonomic.act.approval;
