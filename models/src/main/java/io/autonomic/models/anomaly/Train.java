package io.autonomic.models.anomaly;

import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.models.release.Publish;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train}: builds a resource kind's anomaly model from recorded signals.
 *
 * <pre>
 * train --input signals.csv --kind HOST_PROCESS --output models/ [--nu 0.01] [--gamma 0.1]
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
 * The CSV has a header {@code timestamp,<signal>...[,label]}: one row per resource snapshot, one column per signal
 * (empty = missing). Rows labeled 1 are kept out of training and used, with the others, for the evaluation summary
 * printed at the end. Exit codes: 0 trained (and published), 2 usage or input error, 1 I/O or Kafka failure.
 */
public final class Train {

    static final double DEFAULT_NU = 0.01;
    static final double DEFAULT_GAMMA = 0.1;
    private static final String MODELS_TOPIC_OPTION = "--topic.models";
    private static final String USAGE = "usage: train --input signals.csv --kind KIND --output DIR [--nu 0.01] "
            + "[--gamma 0.1] [--publish BOOTSTRAP_SERVERS [--topic.models=NAME]]";

    private Train() {
    }

    /** Parsed options. */
    record Options(Path input, String kind, Path output, double nu, double gamma, String publishTo,
            String modelsTopic) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.startsWith(MODELS_TOPIC_OPTION + "=")) {
                    values.put(MODELS_TOPIC_OPTION, arg.substring(MODELS_TOPIC_OPTION.length() + 1));
                    continue;
                }
                if (!List.of("--input", "--kind", "--output", "--nu", "--gamma", "--publish", MODELS_TOPIC_OPTION)
                        .contains(arg)) {
                    throw new IllegalArgumentException("unknown option " + arg);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                values.put(arg, args[++i]);
            }
            for (String required : List.of("--input", "--kind", "--output")) {
                if (!values.containsKey(required)) {
                    throw new IllegalArgumentException(required + " is required");
                }
            }
            return new Options(Paths.get(values.get("--input")), ResourceAnomalyModel.canonicalKind(values.get("--kind")),
                    Paths.get(values.get("--output")), number(values, "--nu", DEFAULT_NU),
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
    }

    /** A recorded snapshot: the signals and the label (1 anomalous, 0 normal, -1 unlabeled). */
    record Row(Map<String, Double> signals, int label) {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        Options options;
        List<String> signals = new ArrayList<>();
        List<Row> rows;
        try {
            options = Options.parse(args);
            rows = read(options.input(), signals);
        } catch (IllegalArgumentException e) {
            out.println("train: " + e.getMessage());
            out.println(USAGE);
            return 2;
        } catch (IOException e) {
            out.println("train: cannot read input: " + e);
            return 1;
        }
        List<Map<String, Double>> normal = rows.stream().filter(r -> r.label() != 1).map(Row::signals).toList();
        ResourceAnomalyModel model;
        try {
            model = ResourceAnomalyModel.train(options.kind(), FeatureExtractor.of(signals), normal, options.nu(),
                    options.gamma(), options.input().toString());
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
        return String.format(Locale.ROOT, "evaluation: %d rows; anomalous rows flagged %d/%d; normal rows flagged "
                        + "%.2f%% (in-sample); precision=%.3f recall=%.3f F1=%.3f", rows.size(), tp, tp + fn,
                100 * normalFlagged, precision, recall, f1);
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
