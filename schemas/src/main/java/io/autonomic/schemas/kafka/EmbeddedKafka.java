package io.autonomic.schemas.kafka;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker (KRaft, one combined broker+controller node) inside this JVM. Backs the embedded stack
 * ({@code autonomic up}, {@code autonomic demo}) and the integration tests. Needs
 * {@code org.apache.kafka:kafka-test-common-runtime} on the classpath.
 *
 * <p>With a fixed port, a third listener named FIXED is added beside the kit's own randomly bound ones: the kit
 * pre-binds its listeners itself and silently ignores a port given for them.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker on a random port. */
    public static EmbeddedKafka start() throws Exception {
        return start(0, null);
    }

    /**
     * Starts a broker; {@code port > 0} makes clients reach it at {@code localhost:port}. {@code dataDir} may be
     * null for a temporary directory; the kit deletes its data on close either way.
     */
    public static EmbeddedKafka start(int port, Path dataDir) throws Exception {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction());
        if (dataDir != null) {
            nodes.setBaseDirectory(dataDir);
        }
        if (port > 0) {
            Map<String, String> fixed = new HashMap<>();
            fixed.put("listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,FIXED://localhost:" + port);
            fixed.put("advertised.listeners", "EXTERNAL://localhost:0,FIXED://localhost:" + port);
            fixed.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,FIXED:PLAINTEXT");
            nodes.setPerServerProperties(Map.of(0, fixed));
        }
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes.build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("min.insync.replicas", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "true")
                .setConfigProp("num.partitions", "1")
                // The OTLP receiver accepts requests up to 8 MiB and writes them whole.
                .setConfigProp("message.max.bytes", String.valueOf(10 * 1024 * 1024))
                .build();
        try {
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        String bootstrap = port > 0 ? "localhost:" + port : cluster.bootstrapServers();
        return new EmbeddedKafka(cluster, bootstrap);
    }

    /** The kit's format step prints its bootstrap metadata to stdout, which would garble a CLI's own output. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream stdout = System.out;
        synchronized (System.class) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                cluster.format();
            } finally {
                System.setOut(stdout);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
