package io.autonomic.models.anomaly;

import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.models.features.SignalValues;
import io.autonomic.models.forecast.TrainForecast;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.models.release.Publish;
import io.autonomic.models.training.RecordingSource;
import io.autonomic.models.training.TelemetryRecording;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;

/**
 * {@code train anomaly}: builds a resource kind's anomaly model from recorded telemetry or recorded signals.
 *
 * <pre>
 * train --kind HOST_PROCESS --output models/ (--input FILE | --topic points|enriched --bootstrap-servers HOST:PORT
 *       [--topic-name NAME]) [--resources REGEX] [--signals a,b,c] [--bucket 15s] [--nu 0.01] [--gamma 0.1]
 *       [--publish kafka:9092 [--topic.models=NAME]]
 * </pre>
 *
 * The kind is a resource kind ({@code HOST_PROCESS}, {@code K8S_POD}, ...; {@code host-process} is accepted too) or
 * {@code default} for the model of every kind without its own; the model is written as the release {@code
 * anomaly/<KIND>} (files {@code anomaly_<KIND>.model}, {@code .signals}, {@code .provenance.txt}, {@code .release}),
 * ready for {@link Publish} to put on the models topic. With {@code --publish BOOTSTRAP_SERVERS} it does so at once:
 * every release of the output directory whose version is not live yet goes to the models topic, and the running
 * detect jobs swap it in.
 *
 * <p><b>Recorded telemetry</b> (a {@link TelemetryRecording}: a CSV of points {@code timestamp,resource,metric,value
 * [,label]} with optional {@code kind} and {@code type} columns, JSON lines of points, or a bounded replay of the
 * {@code points} or {@code enriched} topic) becomes one snapshot per resource and {@code --bucket} of time, with the
 * values the live job scores: gauges as they are, cumulative counters as per-second rates ({@link SignalValues}),
 * readings up to {@link SignalValues#DEFAULT_SIGNAL_MAX_AGE} old carried into later snapshots. The resources are
 * those of {@code --kind} ({@code default}: all) whose id matches {@code --resources} (the whole id); a resource whose
 * points carry no kind is taken only when {@code --resources} selects it. The signals are {@code --signals}, or else
 * those present in at least {@value #DEFAULT_SIGNAL_COVERAGE_PERCENT}% of the selected snapshots.
 *
 * <p><b>A wide CSV</b> (told apart by its header: no {@code resource} or {@code metric} column) has the header
 * {@code timestamp,<signal>...[,label]}: one row per resource snapshot, one column per signal (empty = missing).
 *
 * <p>Rows or points labeled 1 (their snapshots) are kept out of training and used, with the others, for the
 * evaluation summary printed at the end. Exit codes: 0 trained (and published), 2 usage or input error (the message
 * names the option or the file line), 1 I/O or Kafka failure.
 */
public final class Train {

    static final double DEFAULT_NU = 0.01;
    static final double DEFAULT_GAMMA = 0.1;
    /**
     * One snapshot per typical scrape interval: a bucket holds one scrape of a resource's metrics (they share a
     * timestamp), as the live job scores one snapshot per scrape; metrics scraped less often are carried in.
     */
    static final Duration DEFAULT_BUCKET = Duration.ofSeconds(15);
    static final int DEFAULT_SIGNAL_COVERAGE_PERCENT = 90;
    private static final String MODELS_TOPIC_OPTION = "--topic.models";
    private static final List<String> VALUED = List.of("--input", "--topic", "--topic-name", "--bootstrap-servers",
            "--kind", "--output", "--resources", "--signals", "--bucket", "--nu", "--gamma", "--publish",
            MODELS_TOPIC_OPTION);
    static final String USAGE = "usage: train --kind KIND --output DIR (--input FILE | --topic points|enriched "
            + "--bootstrap-servers HOST:PORT [--topic-name NAME]) [--resources REGEX] [--signals a,b,c] "
            + "[--bucket 15s] [--nu 0.01] [--gamma 0.1] [--publish BOOTSTRAP_SERVERS [--topic.models=NAME]]";

    private Train() {
    }

    /**
     * Parsed options.
     *
     * @param signals {@code null}: chosen by coverage
     */
    record Options(Path input, String topic, String topicName, String bootstrapServers, String kind, Path output,
            Pattern resources, List<String> signals, Duration bucket, boolean bucketGiven, double nu, double gamma,
            String publishTo, String modelsTopic) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.startsWith(MODELS_TOPIC_OPTION + "=")) {
                    values.put(MODELS_TOPIC_OPTION, arg.substring(MODELS_TOPIC_OPTION.length() + 1));
                    continue;
                }
                if (!VALUED.contains(arg)) {
                    throw new IllegalArgumentException("unknown option " + arg);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                values.put(arg, args[++i]);
            }
            RecordingSource.checkChoice(values, true);
            for (String required : List.of("--kind", "--output")) {
                if (!values.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
            RecordingSource.checkTopicOptions(values);
            String topic = values.get("--topic");
            Pattern resources = null;
            if (values.containsKey("--resources")) {
                try {
                    resources = Pattern.compile(values.get("--resources"));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("--resources is not a regular expression: "
                            + e.getDescription() + " in " + values.get("--resources"), e);
                }
            }
            List<String> signals = null;
            if (values.containsKey("--signals")) {
                signals = Arrays.stream(values.get("--signals").split(",")).map(String::strip)
                        .filter(x -> !x.isEmpty()).distinct().toList();
                if (signals.isEmpty()) {
                    throw new IllegalArgumentException("--signals names no signal");
                }
            }
            Duration bucket = values.containsKey("--bucket") ? TrainForecast.duration("--bucket",
                    values.get("--bucket")) : DEFAULT_BUCKET;
            return new Options(values.containsKey("--input") ? Paths.get(values.get("--input")) : null, topic,
                    values.get("--topic-name"), values.get("--bootstrap-servers"),
                    ResourceAnomalyModel.canonicalKind(values.get("--kind")), Paths.get(values.get("--output")),
                    resources, signals, bucket, values.containsKey("--bucket"), number(values, "--nu", DEFAULT_NU),
                    number(values, "--gamma", DEFAULT_GAMMA), values.get("--publish"),
                    values.get(MODELS_TOPIC_OPTION));
        }

        private static double number(Map<String, String> values, String name, double fallback) {
            String text = values.get(name);
            try {
                double value = text == null ? fallback : Double.parseDouble(text);
                if (!(value > 0) || name.equals("--nu") && value >= 1) {
                    throw new IllegalArgumentException(name + " must be " + ("--nu".equals(name) ? "in (0, 1)"
                            : "positive") + ", got " + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, got " + text, e);
            }
        }

        String inputName() {
            return input != null ? "--input " + input : "--topic " + topic;
        }
    }

    /** A recorded snapshot: the signals and the label (1 anomalous, 0 normal, -1 unlabeled). */
    record Row(Map<String, Double> signals, int label) {
    }

    /** What the model trains on: rows, the signals it models (in feature order), and where they came from. */
    record TrainingSet(List<Row> rows, List<String> signals, String source) {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("train: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        TrainingSet set;
        try {
            set = load(options, out);
        } catch (IllegalArgumentException e) {
            out.println("train: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            out.println("train: cannot read the input: " + e.getMessage());
            return 1;
        } catch (KafkaException | IllegalStateException e) {
            out.println("train: cannot read " + options.inputName() + ": " + e.getMessage());
            return 1;
        }
        List<Row> rows = set.rows();
        List<String> signals = set.signals();
        List<Map<String, Double>> normal = rows.stream().filter(r -> r.label() != 1).map(Row::signals).toList();
        ResourceAnomalyModel model;
        try {
            model = ResourceAnomalyModel.train(options.kind(), FeatureExtractor.of(signals), normal, options.nu(),
                    options.gamma(), set.source());
        } catch (IllegalArgumentException e) {
            out.println("train: " + e.getMessage());
            return 2;
        }
        try {
            model.save(options.output());
        } catch (IOException e) {
            out.println("train: cannot write the model: " + e);
            return 1;
        }
        out.printf(Locale.ROOT, "trained %s one-class SVM (nu=%s, gamma=%s) on %d normal rows of %d signals %s%n",
                model.kind(), options.nu(), options.gamma(), normal.size(), signals.size(), signals);
        String stem = ModelReleases.fileStem(model.modelName());
        out.printf(Locale.ROOT, "model %s version %s -> %s (provenance in %s.provenance.txt)%n", model.modelName(),
                model.version(), options.output().resolve(stem + ".model"), stem);
        out.println(evaluate(model, rows));
        if (options.publishTo() == null) {
            return 0;
        }
        List<String> publish = new ArrayList<>(List.of("--bootstrap-servers", options.publishTo(), "--models",
                options.output().toString()));
        if (options.modelsTopic() != null) {
            publish.add(MODELS_TOPIC_OPTION + "=" + options.modelsTopic());
        }
        return Publish.run(publish.toArray(String[]::new), out);
    }

    static TrainingSet load(Options options, PrintStream out) throws IOException {
        if (options.input() != null && isWideCsv(options.input())) {
            if (options.resources() != null || options.bucketGiven()) {
                throw new IllegalArgumentException("--resources and --bucket apply to recorded telemetry; "
                        + options.input() + " is a wide CSV of snapshots (its header has no resource and metric "
                        + "columns)");
            }
            List<String> columns = new ArrayList<>();
            List<Row> rows = read(options.input(), columns);
            List<String> signals = columns;
            if (options.signals() != null) {
                for (String signal : options.signals()) {
                    if (!columns.contains(signal)) {
                        throw new IllegalArgumentException("--signals: " + signal + " is not a column of "
                                + options.input() + " " + columns);
                    }
                }
                signals = options.signals();
                rows = restrict(rows, signals);
            }
            out.printf(Locale.ROOT, "read %s: %d snapshots (%d labeled anomalous), %d signals %s%n", options.input(),
                    rows.size(), rows.stream().filter(r -> r.label() == 1).count(), signals.size(), signals);
            return new TrainingSet(rows, signals, options.input().toString());
        }
        TelemetryRecording recording = RecordingSource.read(options.input(), options.topic(), options.topicName(),
                options.bootstrapServers());
        return fromRecording(recording, options, out);
    }

    /** The rows of the selected resources' snapshots, on the chosen signals. */
    static TrainingSet fromRecording(TelemetryRecording recording, Options options, PrintStream out) {
        Map<String, String> kinds = recording.resourceKinds();
        List<TelemetryRecording.Snapshot> all = recording.snapshots(options.bucket(),
                SignalValues.DEFAULT_SIGNAL_MAX_AGE);
        Set<String> resources = all.stream().map(TelemetryRecording.Snapshot::resource)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> selected = resources.stream().filter(r -> selected(r, kinds.get(r), options))
                .collect(Collectors.toCollection(TreeSet::new));
        if (selected.isEmpty()) {
            throw new IllegalArgumentException(noResources(options, resources, kinds));
        }
        List<TelemetryRecording.Snapshot> snapshots = all.stream().filter(s -> selected.contains(s.resource()))
                .toList();
        Map<String, Integer> coverage = new TreeMap<>();
        for (TelemetryRecording.Snapshot snapshot : snapshots) {
            snapshot.signals().keySet().forEach(signal -> coverage.merge(signal, 1, Integer::sum));
        }
        List<String> signals;
        if (options.signals() != null) {
            for (String signal : options.signals()) {
                if (!coverage.containsKey(signal)) {
                    throw new IllegalArgumentException("--signals: " + signal + " is in no snapshot of the "
                            + selected.size() + " selected resources; recorded: " + coverage.keySet());
                }
            }
            signals = options.signals();
        } else {
            signals = coverage.entrySet().stream()
                    .filter(e -> e.getValue() * 100L >= (long) DEFAULT_SIGNAL_COVERAGE_PERCENT * snapshots.size())
                    .map(Map.Entry::getKey).toList();
            if (signals.isEmpty()) {
                throw new IllegalArgumentException("no signal is in at least " + DEFAULT_SIGNAL_COVERAGE_PERCENT
                        + "% of the " + snapshots.size() + " snapshots of the selected resources; name them with "
                        + "--signals (recorded: " + coverage.keySet() + ")");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (TelemetryRecording.Snapshot snapshot : snapshots) {
            Row row = new Row(only(snapshot.signals(), signals), snapshot.label());
            if (!row.signals().isEmpty()) {
                rows.add(row);
            }
        }
        out.printf(Locale.ROOT, "read %s: %d of %d resources selected (kind %s%s), %d snapshots of %s "
                        + "(%d labeled anomalous%s)%n", recording, selected.size(), resources.size(), options.kind(),
                options.resources() == null ? "" : ", id matching " + options.resources(), rows.size(),
                options.bucket().toSeconds() + " s", rows.stream().filter(r -> r.label() == 1).count(),
                snapshots.size() > rows.size() ? ", " + (snapshots.size() - rows.size())
                        + " without any of the signals left out" : "");
        out.printf(Locale.ROOT, "%d signals%s: %s%n", signals.size(), options.signals() != null ? " (--signals)"
                : " (in at least " + DEFAULT_SIGNAL_COVERAGE_PERCENT + "% of the snapshots)", signals.stream()
                .map(s -> String.format(Locale.ROOT, "%s %.0f%%", s, 100.0 * coverage.get(s) / snapshots.size()))
                .collect(Collectors.joining(", ")));
        String source = recording.source() + ", kind " + options.kind() + (options.resources() == null ? ""
                : ", resources " + options.resources()) + ", snapshots of " + options.bucket().toSeconds() + " s";
        return new TrainingSet(rows, signals, source);
    }

    private static boolean selected(String resource, String kind, Options options) {
        if (options.resources() != null && !options.resources().matcher(resource).matches()) {
            return false;
        }
        if (ResourceAnomalyModel.DEFAULT_KIND.equals(options.kind())) {
            return true;
        }
        return kind == null ? options.resources() != null : options.kind().equals(canonical(kind));
    }

    private static String canonical(String kind) {
        try {
            return ResourceAnomalyModel.canonicalKind(kind);
        } catch (IllegalArgumentException e) {
            return kind; // a kind this build does not know: selected by no --kind
        }
    }

    private static String noResources(Options options, Set<String> resources, Map<String, String> kinds) {
        String message = options.inputName() + " holds no resources of kind " + options.kind()
                + (options.resources() == null ? "" : " whose id matches " + options.resources());
        if (resources.isEmpty()) {
            return options.inputName() + " holds no points";
        }
        Set<String> recorded = kinds.values().stream().map(Train::canonical)
                .collect(Collectors.toCollection(TreeSet::new));
        if (kinds.size() < resources.size()) {
            message += "; " + (resources.size() - kinds.size()) + " of its " + resources.size() + " resources carry "
                    + "no kind: add a kind column, or select them with --resources REGEX";
        }
        return message + (recorded.isEmpty() ? "" : "; kinds recorded: " + recorded);
    }

    private static Map<String, Double> only(Map<String, Double> values, List<String> signals) {
        Map<String, Double> kept = new HashMap<>();
        for (String signal : signals) {
            Double value = values.get(signal);
            if (value != null) {
                kept.put(signal, value);
            }
        }
        return kept;
    }

    private static List<Row> restrict(List<Row> rows, List<String> signals) {
        return rows.stream().map(r -> new Row(only(r.signals(), signals), r.label())).toList();
    }

    /**
     * Whether {@code file} is a wide CSV of snapshots rather than recorded telemetry: its first line is a header
     * without {@code resource} and {@code metric} columns (a recording's CSV has them, or no header at all).
     */
    static boolean isWideCsv(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null && line.isBlank()) {
                // leading blank lines
            }
            if (line == null) {
                return true; // the wide reader names what is missing
            }
            String first = line.strip();
            if (first.startsWith("{")) {
                return false;
            }
            List<String> columns = Arrays.stream(first.split(",", -1)).map(c -> c.strip().toLowerCase(Locale.ROOT))
                    .toList();
            return !columns.contains("resource") && !columns.contains("metric") && !isTimestamp(columns.get(0));
        }
    }

    private static boolean isTimestamp(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException notSeconds) {
            try {
                OffsetDateTime.parse(cell.toUpperCase(Locale.ROOT));
                return true;
            } catch (DateTimeParseException notIso) {
                return false;
            }
        }
    }

    /** Confusion counts over every row; the normal rows were also training rows, so their figure is in-sample. */
    static String evaluate(ResourceAnomalyModel model, List<Row> rows) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        boolean labeled = rows.stream().anyMatch(r -> r.label() == 1);
        for (Row row : rows) {
            boolean flagged = model.score(row.signals()).anomalous();
            boolean anomalous = row.label() == 1;
            if (flagged && anomalous) {
                tp++;
            } else if (flagged) {
                fp++;
            } else if (anomalous) {
                fn++;
            } else {
                tn++;
            }
        }
        double normalFlagged = fp + tn == 0 ? 0 : (double) fp / (fp + tn);
        if (!labeled) {
            return String.format(Locale.ROOT, "evaluation: %d rows, %.2f%% of the (normal) training rows flagged",
                    rows.size(), 100 * normalFlagged);
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return String.format(Locale.ROOT, "evaluation: %d rows; anomalous rows flagged %d/%d (%.1f%% caught); "
                        + "normal rows flagged %.2f%% (in-sample); precision=%.3f recall=%.3f F1=%.3f", rows.size(), tp,
                tp + fn, 100 * recall, 100 * normalFlagged, precision, recall, f1);
    }

    static List<Row> read(Path file, List<String> signals) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty, expected a header timestamp,<signal>...[,label]");
            }
            List<String> columns = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
            int labelColumn = columns.indexOf("label");
            for (int c = 1; c < columns.size(); c++) {
                if (c != labelColumn) {
                    signals.add(columns.get(c));
                }
            }
            if (signals.isEmpty()) {
                throw new IllegalArgumentException(file + ": the header names no signal column");
            }
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                Map<String, Double> values = new HashMap<>();
                int label = -1;
                for (int c = 1; c < columns.size() && c < cells.length; c++) {
                    String cell = cells[c].trim();
                    if (cell.isEmpty()) {
                        continue;
                    }
                    double value;
                    try {
                        value = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": column " + columns.get(c)
                                + " is not a number: " + cell, e);
                    }
                    if (c == labelColumn) {
                        label = value > 0 ? 1 : 0;
                    } else {
                        values.put(columns.get(c), value);
                    }
                }
                rows.add(new Row(values, label));
            }
        }
        return rows;
    }
}
