/**
 * Kafka plumbing of the worker that is not about commands: a background reader that follows a compacted topic
 * from its beginning and reports the latest value per key, shared by the kill switch and the health view.
 */
package io.autonomic.act.kafka;
