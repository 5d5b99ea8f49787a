/**
 * Who may command the worker: signature, replay and freshness checks applied before any other decision
 * ({@link io.autonomic.act.security.CommandAuthenticator}).
 */
package io.autonomic.act.security;
