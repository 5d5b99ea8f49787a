/**
 * Escalation to humans when automation stops: execution failed, recovery was not verified, the circuit breaker
 * opened, or an execution's outcome is in doubt. The worker writes the ESCALATED audit record itself; an
 * {@link io.autonomic.act.escalate.Escalator} only notifies.
 */
package io.autonomic.act.escalate;
