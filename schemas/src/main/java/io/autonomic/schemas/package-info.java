/**
 * The contracts every Autonomic module speaks: Avro records (generated into {@code io.autonomic.schemas.avro}),
 * the {@link io.autonomic.schemas.Topics topic catalog} that pairs each topic name with its serdes, and typed
 * command-line {@link io.autonomic.schemas.Options options}.
 */
package io.autonomic.schemas;
