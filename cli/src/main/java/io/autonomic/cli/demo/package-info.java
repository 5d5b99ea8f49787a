/**
 * The demo: real services instrumented with the OpenTelemetry SDK, started as child processes, with injected
 * faults, and the timeline that shows the loop healing them.
 */
package io.autonomic.cli.demo;
