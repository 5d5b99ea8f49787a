/**
 * The worker's HTTP control endpoint ({@link io.autonomic.act.control.ControlServer}): kill switch and circuit-breaker
 * reset for operators and the CLI, on the JDK's built-in HTTP server.
 */
package io.autonomic.act.control;
