/**
 * Test fakes for the worker's small interfaces (process control, health view, audit log, escalator), a mutable
 * clock and command factories. Published in the test-jar so the cli's tests can reuse them.
 */
package io.autonomic.act.testing;
