/**
 * The guards a command passes before anything is executed, evaluated in a fixed order (kill switch, opt-out,
 * staleness, mode, cooldown, circuit breaker; see {@link io.autonomic.act.guard.Guards#standard}). Each guard is a
 * small class answering pass or block for one concern; the worker audits every answer. Per-resource history the
 * cooldown and the breaker need comes from a {@link io.autonomic.act.guard.ResourceHistory}, persisted by the
 * execution ledger so it survives a restart.
 */
package io.autonomic.act.guard;
