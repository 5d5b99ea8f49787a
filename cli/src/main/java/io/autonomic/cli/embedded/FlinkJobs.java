package io.autonomic.cli.embedded;

import io.autonomic.schemas.Options;
import io.autonomic.schemas.flink.KafkaIO;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/** One Flink MiniCluster running several jobs side by side, each built by the job class's own wiring. */
public final class FlinkJobs implements AutoCloseable {

    private final MiniCluster cluster;

    private FlinkJobs(MiniCluster cluster) {
        this.cluster = cluster;
    }

    public static FlinkJobs start(int slots) throws Exception {
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.parse("64m"));
        config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.parse("64m"));
        config.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(config)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        cluster.start();
        return new FlinkJobs(cluster);
    }

    /** Builds a job with its own {@code build(env, options)} wiring and submits it; returns its id. */
    public JobID submit(String jobName, Options options, BiConsumer<StreamExecutionEnvironment, Options> build)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        KafkaIO.configureCheckpointing(env, options);
        build.accept(env, options);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(jobName);
        return cluster.submitJob(graph.getJobGraph(Thread.currentThread().getContextClassLoader())).get().getJobID();
    }

    public String restAddress() throws Exception {
        return cluster.getRestAddress().get().toString();
    }

    @Override
    public void close() throws Exception {
        cluster.closeAsync().get();
    }
}
