/**
 * Flink plumbing shared by the jobs: raw Kafka records in, Avro records out through the topic catalog's format,
 * dead letters as a side output, and the checkpoint/transaction settings that make the pipeline exactly-once.
 */
package io.autonomic.schemas.flink;
