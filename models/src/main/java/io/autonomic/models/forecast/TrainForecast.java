package io.autonomic.models.forecast;

import io.autonomic.models.release.ModelReleases;
import io.autonomic.models.training.RecordingSource;
import io.autonomic.models.training.TelemetryRecording;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.KafkaException;

/**
 * {@code train forecast}: builds the two forecast models — {@value FailureForecastModel#MODEL_NAME} and
 * {@value TimeToExhaustionModel#MODEL_NAME} — from recorded telemetry or generated scenarios, writes them with
 * {@link ModelReleases#write} (model, Tribuo provenance, feature order, release) and prints an evaluation on series
 * held out of training.
 *
 * <pre>
 * train-forecast --output DIR [--input FILE | --topic points|enriched --bootstrap-servers HOST:PORT
 *                [--topic-name NAME]] [--with-scenarios] [--scenarios 120] [--metric-suffix utilization]
 *                [--horizon 30m] [--threshold 0.6] [--seed 42]
 * </pre>
 *
 * Without {@code --input} or {@code --topic} it trains on {@link ExhaustionScenarios#trainingSet generated
 * scenarios}. A recording's series are those whose metric ends with {@code --metric-suffix} (empty: all), values
 * in fractions of capacity; a point is exhausted where its label is 1 or, unlabeled, at {@link
 * LabeledSeries#EXHAUSTED_AT}. A fifth of the series (of those that exhaust and of those that do not) is held out.
 * Exit codes: 0 trained, 2 usage or input error (the message names the option or the file line), 1 I/O failure.
 */
public final class TrainForecast {

    static final Duration DEFAULT_HORIZON = Duration.ofMinutes(30);
    static final int DEFAULT_SCENARIOS = 120;
    static final long DEFAULT_SEED = 42;
    static final String DEFAULT_METRIC_SUFFIX = "utilization";
    static final String USAGE = "usage: train-forecast --output DIR [--input FILE | --topic points|enriched "
            + "--bootstrap-servers HOST:PORT [--topic-name NAME]] [--with-scenarios] [--scenarios N] "
            + "[--metric-suffix SUFFIX] [--horizon 30m] [--threshold 0.6] [--seed N]";

    private static final Set<String> VALUED = Set.of("--input", "--output", "--topic", "--topic-name",
            "--bootstrap-servers", "--scenarios", "--metric-suffix", "--horizon", "--threshold", "--seed");
    private static final Set<String> FLAGS = Set.of("--with-scenarios");

    private TrainForecast() {
    }

    /** Parsed options. */
    record Options(Path input, String topic, String topicName, String bootstrapServers, Path output,
            boolean withScenarios, int scenarios, String metricSuffix, Duration horizon, double threshold,
            long seed) {

        boolean recorded() {
            return input != null || topic != null;
        }

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (FLAGS.contains(arg)) {
                    values.put(arg, "true");
                } else if (VALUED.contains(arg)) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + arg + " needs a value");
                    }
                    values.put(arg, args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (!values.containsKey("--output")) {
                throw new IllegalArgumentException("--output is required");
            }
            RecordingSource.checkChoice(values, false);
            RecordingSource.checkTopicOptions(values);
            String topic = values.get("--topic");
            long seed = integer(values, "--seed", DEFAULT_SEED, Long.MIN_VALUE);
            int scenarios = (int) integer(values, "--scenarios", DEFAULT_SCENARIOS, 10);
            double threshold = FailureForecastModel.DEFAULT_THRESHOLD;
            if (values.containsKey("--threshold")) {
                try {
                    threshold = Double.parseDouble(values.get("--threshold"));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--threshold must be a number, got "
                            + values.get("--threshold"), e);
                }
                if (!(threshold > 0 && threshold < 1)) {
                    throw new IllegalArgumentException("--threshold must be within (0, 1), got " + threshold);
                }
            }
            return new Options(values.containsKey("--input") ? Paths.get(values.get("--input")) : null, topic,
                    values.get("--topic-name"), values.get("--bootstrap-servers"), Paths.get(values.get("--output")),
                    values.containsKey("--with-scenarios"), scenarios,
                    values.getOrDefault("--metric-suffix", DEFAULT_METRIC_SUFFIX),
                    values.containsKey("--horizon") ? duration("--horizon", values.get("--horizon")) : DEFAULT_HORIZON,
                    threshold, seed);
        }

        private static long integer(Map<String, String> values, String name, long fallback, long min) {
            String text = values.get(name);
            if (text == null) {
                return fallback;
            }
            try {
                long value = Long.parseLong(text);
                if (value < min) {
                    throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be an integer, got " + text, e);
            }
        }
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|min|h|d)");

    /**
     * {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30M}); positive. The trainers' one
     * duration syntax.
     */
    public static Duration duration(String option, String text) {
        Duration duration;
        Matcher m = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            duration = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                duration = Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " must be a duration like 30m, 2h or PT30M, got " + text,
                        e);
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, got " + text);
        }
        return duration;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        return run(args, out, Clock.systemUTC());
    }

    /** Trains and writes both models; the releases are stamped with {@code clock}'s time. */
    public static int run(String[] args, PrintStream out, Clock clock) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("train-forecast: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        List<LabeledSeries> series = new ArrayList<>();
        String source;
        try {
            source = load(options, series, out);
        } catch (IllegalArgumentException | IllegalStateException | KafkaException e) {
            out.println("train-forecast: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            out.println("train-forecast: cannot read the input: " + e.getMessage());
            return 1;
        }
        List<LabeledSeries> training = new ArrayList<>();
        List<LabeledSeries> heldOut = new ArrayList<>();
        split(series, options.seed(), training, heldOut);
        List<ForecastExample> trainingRows = ForecastExamples.of(training, options.horizon());
        List<ForecastExample> heldOutRows = ForecastExamples.of(heldOut, options.horizon());
        long failing = trainingRows.stream().filter(ForecastExample::failsWithinHorizon).count();
        out.printf(Locale.ROOT, "training on %d series (%d rows, %d failing within %s), %d series held out (%d rows)%n",
                training.size(), trainingRows.size(), failing, ForecastEvaluation.human(options.horizon()),
                heldOut.size(), heldOutRows.size());
        FailureForecastModel classifier;
        TimeToExhaustionModel regression;
        try {
            classifier = FailureForecastModel.train(trainingRows, options.horizon(), options.threshold(),
                    FailureForecastModel.DEFAULT_CONFIRMATION, options.seed(), source);
            regression = TimeToExhaustionModel.train(trainingRows, options.horizon(), options.seed(), source);
        } catch (IllegalArgumentException e) {
            out.println("train-forecast: " + e.getMessage()
                    + (options.recorded() && !options.withScenarios() ? "; add --with-scenarios to train on "
                    + "generated exhaustion scenarios too" : ""));
            return 2;
        }
        long now = clock.millis();
        try {
            ModelReleases.write(options.output(), classifier.release(now));
            ModelReleases.write(options.output(), regression.release(now));
        } catch (IOException e) {
            out.println("train-forecast: cannot write the models into " + options.output() + ": " + e);
            return 1;
        }
        out.printf(Locale.ROOT, "%s -> %s (provenance beside it)%n", classifier,
                options.output().resolve(ModelReleases.fileStem(FailureForecastModel.MODEL_NAME) + ".model"));
        out.printf(Locale.ROOT, "%s -> %s%n", regression,
                options.output().resolve(ModelReleases.fileStem(TimeToExhaustionModel.MODEL_NAME) + ".model"));
        printEvaluation(classifier, regression, heldOut, heldOutRows, options.horizon(), out);
        return 0;
    }

    private static String load(Options options, List<LabeledSeries> series, PrintStream out) throws IOException {
        String source;
        if (options.recorded()) {
            TelemetryRecording recording = RecordingSource.read(options.input(), options.topic(),
                    options.topicName(), options.bootstrapServers());
            for (TelemetryRecording.Series s : recording.series(m -> m.endsWith(options.metricSuffix()))) {
                series.add(LabeledSeries.recorded(s.key(), s.timesMillis(), s.values(), s.labels()));
            }
            out.printf(Locale.ROOT, "read %s: %d series whose metric ends with '%s'%n", recording, series.size(),
                    options.metricSuffix());
            if (series.isEmpty()) {
                throw new IllegalArgumentException((options.input() != null ? "--input " + options.input()
                        : "--topic " + options.topic()) + " holds no series whose metric ends with '"
                        + options.metricSuffix() + "' (see --metric-suffix)");
            }
            source = recording.source();
        } else {
            source = "generated exhaustion scenarios, seed " + options.seed();
        }
        if (!options.recorded() || options.withScenarios()) {
            for (ExhaustionScenarios.Scenario scenario : ExhaustionScenarios.trainingSet(options.seed(),
                    options.scenarios())) {
                series.add(LabeledSeries.of(scenario));
            }
            if (options.recorded()) {
                source += " + generated exhaustion scenarios, seed " + options.seed();
            }
        }
        return source;
    }

    /** A fifth of the exhausting and of the healthy series (at least one of each where there are two) held out. */
    static void split(List<LabeledSeries> series, long seed, List<LabeledSeries> training,
            List<LabeledSeries> heldOut) {
        for (boolean exhausting : new boolean[] {true, false}) {
            List<LabeledSeries> group = new ArrayList<>(series.stream().filter(s -> s.exhausts() == exhausting)
                    .toList());
            Collections.shuffle(group, new Random(seed));
            int held = group.size() < 2 ? 0 : Math.max(1, group.size() / 5);
            heldOut.addAll(group.subList(0, held));
            training.addAll(group.subList(held, group.size()));
        }
    }

    static void printEvaluation(FailureForecastModel classifier, TimeToExhaustionModel regression,
            List<LabeledSeries> heldOut, List<ForecastExample> heldOutRows, Duration horizon, PrintStream out) {
        out.println("evaluation on held-out series:");
        out.println("  fails within " + ForecastEvaluation.human(horizon) + " (per row, threshold "
                + classifier.threshold() + "): " + ForecastEvaluation.classify(classifier, heldOutRows).summary());
        out.println("  time to exhaustion: " + ForecastEvaluation.regress(regression, heldOutRows, horizon).summary());
        out.println("  time to exhaustion: " + ForecastEvaluation.regress(regression, heldOutRows,
                TimeToExhaustionModel.MAX_TRAINED).summary());
        List<Double> leads = new ArrayList<>();
        int exhausting = 0;
        int healthy = 0;
        int falselyForecast = 0;
        for (LabeledSeries s : heldOut) {
            ForecastEvaluation.Replay replay = ForecastEvaluation.replay(s, classifier);
            if (replay.exhausts()) {
                exhausting++;
                if (replay.firedBeforeExhaustion()) {
                    leads.add(replay.leadTime().toMillis() / 60_000.0);
                }
            } else {
                healthy++;
                falselyForecast += replay.firings() > 0 ? 1 : 0;
            }
        }
        Collections.sort(leads);
        out.printf(Locale.ROOT, "  lead time: forecast before exhaustion on %d of %d exhausting series%s%n",
                leads.size(), exhausting, leads.isEmpty() ? "" : String.format(Locale.ROOT,
                        "; minimum %.1f min, median %.1f min", leads.get(0), leads.get(leads.size() / 2)));
        out.printf(Locale.ROOT, "  false forecasts: %d of %d healthy series forecast to fail at least once%n",
                falselyForecast, healthy);
    }
}
