package io.autonomic.detect.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.detect.DetectJob;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DetectJob's model options and the job graph they build, without running it. */
class ModelWiringTest {

    @TempDir
    Path dir;

    private static Options options(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "--bootstrap-servers";
        args[1] = "localhost:9092";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return Options.parse(args, DetectJob.options(), List.of(PipelineOptions.TOPIC_PREFIX));
    }

    @Test
    void modelsDir_isReadAtBuildTime_andTheFunctionTravelsInTheJobGraph() throws Exception {
        TestModels.train("HOST_PROCESS", 21).save(dir);
        Options options = options("--models-dir", dir.toString(), "--model-score-interval", "2s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);

        DetectJob.build(env, options);
        JobGraph graph = env.getStreamGraph().getJobGraph();

        assertThat(options.get(DetectJob.MODEL_SCORE_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
        assertThat(graph.getVertices()).extracting(JobVertex::getName)
                .anySatisfy(name -> assertThat(name).contains("score-resource-models"))
                .anySatisfy(name -> assertThat(name).contains("models-source"));
    }

    @Test
    void modelsDir_unreadable_failsNamingTheOption() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("models.txt"), "x");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);

        assertThatThrownBy(() -> DetectJob.build(env, options("--models-dir", notADirectory.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--models-dir")
                .hasMessageContaining("models.txt");
    }

    @Test
    void modelsDir_withATamperedModel_failsNamingIt() throws Exception {
        TestModels.train("K8S_POD", 22).save(dir);
        Files.write(dir.resolve("anomaly_K8S_POD.model"), new byte[] {1, 2, 3});
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);

        assertThatThrownBy(() -> DetectJob.build(env, options("--models-dir", dir.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anomaly/K8S_POD");
    }
}
