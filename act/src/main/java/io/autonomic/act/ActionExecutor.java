package io.autonomic.act;

import java.util.Set;

/**
 * Carries out remediation actions of one target kind (local processes today; AWS, Kubernetes and webhooks later).
 * The worker routes a command to the executor whose {@link #actions()} names the command's action, after every
 * guard has passed and the ledger has recorded the attempt as started.
 *
 * <p>Executors should be idempotent where the target allows it: restarting an already restarted process or
 * removing files that are already gone must not make things worse. Failures may be reported either as an
 * {@link ActionResult#failure failed result} or by throwing; the worker treats both as a failed execution.
 */
public interface ActionExecutor {

    /** The action names this executor handles, e.g. {@code process.restart}. */
    Set<String> actions();

    /** Performs {@code request.action()} on {@code request.target()}. */
    ActionResult execute(ActionRequest request) throws Exception;
}
