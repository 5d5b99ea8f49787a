/** Kafka helpers: topic creation and the in-process KRaft broker behind tests and the embedded stack. */
package io.autonomic.schemas.kafka;
