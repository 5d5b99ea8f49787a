/**
 * Failure forecasts for resources that run out: time to exhaustion of a utilization series (disk, memory,
 * connection pool) from a streaming trend fit, and synthetic exhaustion scenarios that measure the lead time.
 */
package io.autonomic.models.forecast;
