package io.autonomic.schemas.testing;

import io.autonomic.schemas.kafka.EmbeddedKafka;

/**
 * One real in-process KRaft broker per test JVM, started on first use and stopped when the JVM exits. Tests give
 * their topics unique names instead of restarting the broker.
 */
public final class SharedKafka {

    private static EmbeddedKafka broker;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                broker = EmbeddedKafka.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the in-process Kafka broker", e);
            }
            EmbeddedKafka started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // the JVM is exiting; the kit's temp directories are removed either way
                }
            }, "shared-kafka-shutdown"));
        }
        return broker.bootstrapServers();
    }
}
