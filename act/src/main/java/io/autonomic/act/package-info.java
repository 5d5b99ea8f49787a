/**
 * The action worker: consumes remediation commands, passes each through the guards and the execution ledger,
 * hands it to the {@link io.autonomic.act.ActionExecutor} that declares its action, verifies recovery on the
 * health topic, escalates what automation could not fix, and audits every decision. Entry points are
 * {@link io.autonomic.act.ActionWorker} (the Kafka loop, built with a builder or from
 * {@link io.autonomic.act.WorkerOptions}) and {@link io.autonomic.act.WorkerMain}.
 */
package io.autonomic.act;
