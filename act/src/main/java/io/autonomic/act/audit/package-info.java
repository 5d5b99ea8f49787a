/**
 * The audit trail: every decision the worker takes is an {@link io.autonomic.schemas.avro.AuditEvent}, written to
 * the audit topic and to a local JSON-lines file that humans and {@code jq} can read, with secret-named values
 * {@link io.autonomic.act.audit.Redaction redacted}.
 */
package io.autonomic.act.audit;
