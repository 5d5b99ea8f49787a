package io.autonomic.detect.backtest;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.DetectorSettings;
import io.autonomic.detect.scoring.SeriesScoringFunction;
import io.autonomic.models.features.SignalValues;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code backtest}: the production detector over recorded series.
 *
 * <pre>
 * backtest --input series.csv --output scores.csv [--config detect.yaml]
 * backtest --input a.csv --input dir/ --output out/          (outputs mirror the inputs under out/)
 * backtest --topic autonomic.enriched --bootstrap-servers host:9092 --series-key KEY --output scores.csv
 * </pre>
 *
 * Inputs are CSV {@code timestamp,value[,label]}; outputs {@code timestamp,value,anomaly_score[,label]}. For labeled
 * inputs it prints the {@link Evaluation} and the best F1 a swept threshold could reach. Exit codes: 0 done, 2 usage
 * or configuration error, 1 I/O failure.
 */
public final class Backtest {

    private Backtest() {
    }

    /** Parsed options of one invocation. */
    record Options(List<Path> inputs, Path output, Path config, String topic, String bootstrapServers,
            String seriesKey) {

        static Options parse(String[] args) {
            List<Path> inputs = new ArrayList<>();
            Path output = null;
            Path config = null;
            String topic = null;
            String bootstrap = null;
            String seriesKey = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                String value;
                if (arg.contains("=")) {
                    value = arg.substring(arg.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                switch (name) {
                    case "--input" -> inputs.add(Paths.get(value));
                    case "--output" -> output = Paths.get(value);
                    case "--config" -> config = Paths.get(value);
                    case "--topic" -> topic = value;
                    case "--bootstrap-servers" -> bootstrap = value;
                    case "--series-key" -> seriesKey = value;
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (output == null) {
                throw new IllegalArgumentException("--output is required");
            }
            if (topic == null && inputs.isEmpty()) {
                throw new IllegalArgumentException("give --input (files or directories) or --topic");
            }
            if (topic != null && (bootstrap == null || seriesKey == null)) {
                throw new IllegalArgumentException("--topic needs --bootstrap-servers and --series-key");
            }
            return new Options(inputs, output, config, topic, bootstrap, seriesKey);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        Options options;
        DetectorSettings settings;
        try {
            options = Options.parse(args);
            settings = DetectConfig.loadOrDefault(options.config()).detector();
        } catch (RuntimeException e) {
            out.println("backtest: " + e.getMessage());
            out.println("usage: backtest --input FILE|DIR... --output FILE|DIR [--config detect.yaml]"
                    + " | --topic NAME --bootstrap-servers HOST:PORT --series-key KEY --output FILE");
            return 2;
        }
        SeriesScorer scorer = new SeriesScorer(settings);
        try {
            if (options.topic() != null) {
                List<SeriesRow> rows = readTopic(options.topic(), options.bootstrapServers(), options.seriesKey());
                out.printf(Locale.ROOT, "%s [%s]: %d points%n", options.topic(), options.seriesKey(), rows.size());
                runOne(scorer, rows, options.output(), options.topic(), out);
                return 0;
            }
            List<Path[]> jobs = plan(options.inputs(), options.output());
            for (Path[] job : jobs) {
                runOne(scorer, SeriesCsv.read(job[0]), job[1], job[0].toString(), out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            out.println("backtest: " + e.getMessage());
            return 2;
        } catch (UncheckedIOException e) {
            out.println("backtest: " + e.getMessage() + ": " + e.getCause());
            return 1;
        }
    }

    /** Pairs each input file with its output: one file to one file, otherwise mirrored under the output dir. */
    static List<Path[]> plan(List<Path> inputs, Path output) {
        List<Path[]> jobs = new ArrayList<>();
        boolean single = inputs.size() == 1 && Files.isRegularFile(inputs.get(0)) && !Files.isDirectory(output);
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> files = Files.walk(input)) {
                    files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".csv")).sorted()
                            .forEach(f -> jobs.add(new Path[] {f, output.resolve(input.relativize(f))}));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + input, e);
                }
            } else if (Files.isRegularFile(input)) {
                jobs.add(new Path[] {input, single ? output : output.resolve(input.getFileName())});
            } else {
                throw new IllegalArgumentException("--input " + input + " does not exist");
            }
        }
        return jobs;
    }

    private static void runOne(SeriesScorer scorer, List<SeriesRow> rows, Path output, String name,
            PrintStream out) {
        SeriesScorer.Scored scored = scorer.score(rows);
        SeriesCsv.write(output, rows, scored.scores());
        if (rows.stream().noneMatch(SeriesRow::labeled)) {
            out.printf(Locale.ROOT, "%s -> %s: %d rows, %d alerting%n", name, output, rows.size(),
                    countTrue(scored.alerting()));
            return;
        }
        int[] labels = rows.stream().mapToInt(SeriesRow::label).toArray();
        long[] ts = rows.stream().mapToLong(SeriesRow::timestampMillis).toArray();
        Evaluation evaluation = Evaluation.of(labels, ts, scored.alerting());
        Evaluation.Best bestAdjusted = Evaluation.bestF1(labels, ts, scored.ranking(), true);
        Evaluation.Best bestPoint = Evaluation.bestF1(labels, ts, scored.ranking(), false);
        out.printf(Locale.ROOT, "%s -> %s%n  %s%n  best point-adjusted F1=%.3f at suspicion>=%.2f; best point-wise F1=%.3f"
                + " at suspicion>=%.2f (suspicion 1 = default thresholds)%n", name, output, evaluation.summary(), bestAdjusted.f1(), bestAdjusted.threshold(),
                bestPoint.f1(), bestPoint.threshold());
    }

    private static int countTrue(boolean[] values) {
        int n = 0;
        for (boolean v : values) {
            n += v ? 1 : 0;
        }
        return n;
    }

    /**
     * Reads one series from a topic of {@link EnrichedPoint} or {@link TelemetryPoint} records, from the beginning
     * to the end offsets seen at start (a bounded replay), in arrival order as the live job sees them. Records that
     * decode as neither are skipped.
     */
    static List<SeriesRow> readTopic(String topic, String bootstrapServers, String seriesKey) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroSerde<EnrichedPoint> enriched = AvroSerde.of(EnrichedPoint.class);
        AvroSerde<TelemetryPoint> telemetry = AvroSerde.of(TelemetryPoint.class);
        List<TelemetryPoint> points = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TelemetryPoint point = decode(record.value(), enriched, telemetry);
                    if (point != null && seriesKey.equals(point.getSeriesKey())) {
                        points.add(point);
                    }
                }
            }
        }
        return asScored(points);
    }

    /**
     * Rows as the live job scores them: a cumulative counter becomes its per-second rate (the first reading, a
     * reset and an out-of-order reading have no rate and become missing points, as live), anything else is as is.
     */
    static List<SeriesRow> asScored(List<TelemetryPoint> points) {
        List<SeriesRow> rows = new ArrayList<>(points.size());
        TelemetryPoint previous = null;
        for (TelemetryPoint p : points) {
            double value = p.getValue();
            if (SeriesScoringFunction.isCumulativeCounter(p)) {
                boolean ordered = previous == null || p.getTimestampMillis() > previous.getTimestampMillis();
                value = previous == null || !ordered ? Double.NaN : SignalValues.rate(previous.getTimestampMillis(),
                        previous.getValue(), p.getTimestampMillis(), p.getValue());
                if (ordered) {
                    previous = p;
                }
            }
            rows.add(new SeriesRow(Instant.ofEpochMilli(p.getTimestampMillis()).toString(), p.getTimestampMillis(),
                    value, -1));
        }
        return rows;
    }

    private static TelemetryPoint decode(byte[] bytes, AvroSerde<EnrichedPoint> enriched,
            AvroSerde<TelemetryPoint> telemetry) {
        if (bytes == null) {
            return null;
        }
        try {
            return enriched.decode(bytes).getPoint();
        } catch (RuntimeException notEnriched) {
            try {
                return telemetry.decode(bytes);
            } catch (RuntimeException neither) {
                return null;
            }
        }
    }
}
