/**
 * Verification of remediations: the worker's view of the latest health per resource (from the compacted health
 * topic that detect maintains), against which each successful execution is confirmed or, past its deadline,
 * escalated.
 */
package io.autonomic.act.verify;
