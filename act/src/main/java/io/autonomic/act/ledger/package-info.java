/**
 * The execution ledger: a JSON-lines file, appended and fsynced before and after every execution, that makes
 * delivery "effectively once" (a key already executed is never executed again, even after a restart) and keeps
 * the per-resource history the cooldown and circuit-breaker guards need across restarts.
 */
package io.autonomic.act.ledger;
