package io.autonomic.models.diagnosis;

import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.ModelRelease;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train --diagnosis}: the diagnosis classifier from a labeled incident history.
 *
 * <pre>
 * train-diagnosis [--history incidents.jsonl] --output models/ [--seed 20261202] [--holdout 0.25]
 * </pre>
 *
 * Without {@code --history} the shipped seed history is used. A deterministic, per-type share of the incidents
 * ({@code --holdout}) is kept out to print an evaluation (held-out accuracy, per-type precision and recall,
 * confusions); the released model is then trained on the whole history and written with its Tribuo provenance
 * ({@link ModelReleases#write}). Exit codes: 0 trained, 2 usage or input error, 1 I/O failure.
 */
public final class TrainDiagnosis {

    static final double DEFAULT_HOLDOUT = 0.25;

    private TrainDiagnosis() {
    }

    /** Parsed options; {@code history} null means the shipped seed history. */
    record Options(Path history, Path output, long seed, double holdout) {

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!List.of("--history", "--output", "--seed", "--holdout").contains(arg)) {
                    throw new IllegalArgumentException("unknown option " + arg
                            + " (known: --history, --output, --seed, --holdout)");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + arg + " needs a value");
                }
                values.put(arg, args[++i]);
            }
            if (!values.containsKey("--output")) {
                throw new IllegalArgumentException("--output is required");
            }
            long seed;
            double holdout;
            try {
                seed = Long.parseLong(values.getOrDefault("--seed", Long.toString(SeedHistory.SEED)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seed must be a whole number, got " + values.get("--seed"), e);
            }
            try {
                holdout = Double.parseDouble(values.getOrDefault("--holdout", Double.toString(DEFAULT_HOLDOUT)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--holdout must be a number, got " + values.get("--holdout"), e);
            }
            if (!(holdout > 0 && holdout < 1)) {
                throw new IllegalArgumentException("--holdout must be in (0, 1), got " + holdout);
            }
            return new Options(values.containsKey("--history") ? Path.of(values.get("--history")) : null,
                    Path.of(values.get("--output")), seed, holdout);
        }
    }

    public static int run(String[] args, PrintStream out) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            out.println("usage: train-diagnosis [--history FILE] --output DIR [--seed N] [--holdout FRACTION]");
            return 2;
        }
        List<PastIncident> history;
        String source;
        try {
            if (options.history() == null) {
                history = SeedHistory.shipped();
                source = "seed history (classpath:" + SeedHistory.RESOURCE + ")";
            } else {
                history = SeedHistory.read(options.history());
                source = options.history().toString();
            }
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            out.println("error: cannot read " + options.history() + ": " + e.getMessage());
            return 2;
        }
        if (history.size() < 2) {
            out.println("error: " + source + " holds " + history.size() + " incident(s); need at least 2");
            return 2;
        }
        Split split = split(history, options.holdout());
        out.printf(Locale.ROOT, "history: %s, %d incidents, %d types; trained on %d, held out %d%n", source,
                history.size(), split.types(), split.train().size(), split.heldOut().size());
        DiagnosisEvaluation evaluation = DiagnosisEvaluation.of(
                DiagnosisModel.train(split.train(), source + " (training split)", options.seed()), split.heldOut());
        evaluation.print(out);
        long started = System.nanoTime();
        DiagnosisModel model = DiagnosisModel.train(history, source, options.seed());
        long trainMillis = (System.nanoTime() - started) / 1_000_000;
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("history", source);
        metadata.put("incidents", Integer.toString(history.size()));
        metadata.put("heldOutAccuracy", String.format(Locale.ROOT, "%.4f", evaluation.accuracy()));
        ModelRelease release = model.release(System.currentTimeMillis(), metadata);
        try {
            ModelReleases.write(options.output(), release);
        } catch (IOException e) {
            out.println("error: cannot write the model to " + options.output() + ": " + e.getMessage());
            return 1;
        }
        out.printf(Locale.ROOT, "model %s version %s trained on all %d incidents in %d ms, written to %s "
                + "(with provenance)%n", DiagnosisModel.MODEL_NAME, release.getVersion(), history.size(), trainMillis,
                options.output());
        return 0;
    }

    record Split(List<PastIncident> train, List<PastIncident> heldOut, int types) {
    }

    /**
     * Per type, in history order, every k-th incident is held out so that each type keeps about {@code holdout} of
     * its incidents out of training; a type with a single incident only trains.
     */
    static Split split(List<PastIncident> history, double holdout) {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> totals = new HashMap<>();
        history.forEach(incident -> totals.merge(incident.incidentType(), 1, Integer::sum));
        List<PastIncident> train = new ArrayList<>();
        List<PastIncident> heldOut = new ArrayList<>();
        for (PastIncident incident : history) {
            int index = seen.merge(incident.incidentType(), 1, Integer::sum);
            int total = totals.get(incident.incidentType());
            boolean holdThisOne = total > 1 && Math.floor(index * holdout) > Math.floor((index - 1) * holdout);
            (holdThisOne ? heldOut : train).add(incident);
        }
        return new Split(train, heldOut, totals.size());
    }
}
