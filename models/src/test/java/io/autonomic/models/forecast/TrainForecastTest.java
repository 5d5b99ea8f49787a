package io.autonomic.models.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.kafka.TopicAdmin;
import io.autonomic.schemas.testing.KafkaTestClients;
import io.autonomic.schemas.testing.SharedKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainForecastTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    private static final long START = 1_767_225_600_000L;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_generatedScenarios_writesBothReleasesAndPrintsTheEvaluation() throws Exception {
        Path output = dir.resolve("models");

        int exit = TrainForecast.run(new String[] {"--output", output.toString(), "--scenarios", "20", "--seed", "5",
                "--horizon", "30m"}, out, CLOCK);
        System.out.print(printed());

        assertThat(exit).as(printed()).isZero();
        for (String stem : List.of("forecast_fails-within", "forecast_time-to-exhaustion")) {
            for (String suffix : List.of(".model", ".provenance.txt", ".signals", ".release")) {
                assertThat(output.resolve(stem + suffix)).isNotEmptyFile();
            }
        }
        assertThat(Files.readString(output.resolve("forecast_fails-within.release")))
                .contains("family=failure-forecast");
        FailureForecastModel model = FailureForecastModel.fromRelease(
                ModelReleases.read(output, FailureForecastModel.MODEL_NAME, CLOCK.millis()));
        assertThat(printed()).contains(model.modelVersion())
                .contains("precision=").contains("recall=").contains("F1=").contains("confusion")
                .contains("MAE=").contains("RMSE=").contains("median relative error")
                .contains("lead time: forecast before exhaustion on").contains("false forecasts:");
    }

    @Test
    void run_recordedTopic_trainsOnItsSeriesPlusScenarios() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        String name = "models.points.train-forecast";
        Topics topics = Topics.withOverrides(Map.of("points", name));
        TopicAdmin.ensureTopics(bootstrap, List.of(topics.points()), 1, (short) 1);
        List<ProducerRecord<String, TelemetryPoint>> records = new ArrayList<>();
        // a disk filling 1 % per minute from 60 % until full, and another one flat
        for (int i = 0; i <= 240; i++) {
            records.add(record(name, "host-1", START + i * 10_000L, Math.min(1.0, 0.60 + 0.01 * i / 6.0)));
            records.add(record(name, "host-2", START + i * 10_000L, 0.40));
        }
        KafkaTestClients.produce(bootstrap, topics.points(), records);

        int exit = TrainForecast.run(new String[] {"--topic", "points", "--topic-name", name, "--bootstrap-servers",
                bootstrap, "--with-scenarios", "--scenarios", "10", "--output", dir.toString()}, out, CLOCK);

        assertThat(exit).as(printed()).isZero();
        assertThat(printed()).contains("read TelemetryRecording[topic " + name + ", 482 points]: 2 series");
        assertThat(Files.readString(dir.resolve("forecast_fails-within.provenance.txt"))).contains(name);
    }

    @Test
    void run_recordingWithoutExhaustion_explainsHowToGoOn() throws Exception {
        Path csv = dir.resolve("flat.csv");
        StringBuilder text = new StringBuilder("timestamp,resource,metric,value\n");
        for (int i = 0; i < 600; i++) {
            text.append(START / 1000 + i * 10L).append(",host-1,system.filesystem.utilization,0.5\n");
        }
        Files.writeString(csv, text);

        int exit = TrainForecast.run(new String[] {"--input", csv.toString(), "--output", dir.toString()}, out, CLOCK);

        assertThat(exit).isEqualTo(2);
        assertThat(printed()).contains("both classes").contains("--with-scenarios");
    }

    @Test
    void run_badOptions_exitTwoNamingTheOption() {
        assertThat(run("--output", "x", "--horizon", "soon")).isEqualTo(2);
        assertThat(printed()).contains("--horizon must be a duration like 30m");
        assertThat(run("--output", "x", "--topic", "points")).isEqualTo(2);
        assertThat(printed()).contains("--topic needs --bootstrap-servers");
        assertThat(run("--output", "x", "--topic", "anomalies", "--bootstrap-servers", "h:1")).isEqualTo(2);
        assertThat(printed()).contains("--topic must be points or enriched");
        assertThat(run("--input", "a.csv")).isEqualTo(2);
        assertThat(printed()).contains("--output is required");
        assertThat(run("--output", "x", "--threshold", "1.5")).isEqualTo(2);
        assertThat(printed()).contains("--threshold must be within (0, 1)");
        assertThat(run("--output", "x", "--scenarios", "3")).isEqualTo(2);
        assertThat(printed()).contains("--scenarios must be at least 10");
        assertThat(run("--output", "x", "--frobnicate")).isEqualTo(2);
        assertThat(printed()).contains("unknown option --frobnicate").contains("usage: train-forecast");
        assertThat(run("--output", dir.toString(), "--input", dir.resolve("missing.csv").toString())).isEqualTo(1);
        assertThat(printed()).contains("cannot read the input");
    }

    @Test
    void duration_shortAndIsoForms() {
        assertThat(TrainForecast.duration("--horizon", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TrainForecast.duration("--horizon", "30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(TrainForecast.duration("--horizon", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(TrainForecast.duration("--horizon", "PT45M")).isEqualTo(Duration.ofMinutes(45));
    }

    private int run(String... args) {
        return TrainForecast.run(args, out, CLOCK);
    }

    private static ProducerRecord<String, TelemetryPoint> record(String topic, String host, long millis,
            double value) {
        TelemetryPoint point = TelemetryPoint.newBuilder()
                .setResource(Resource.newBuilder().setId(host).build())
                .setMetric("system.filesystem.utilization").setType(MetricType.GAUGE)
                .setSeriesKey(host + "/system.filesystem.utilization").setTimestampMillis(millis).setValue(value)
                .build();
        return new ProducerRecord<>(topic, host, point);
    }
}
