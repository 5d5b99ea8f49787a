package io.autonomic.cli;

import io.autonomic.models.anomaly.Train;
import io.autonomic.models.diagnosis.TrainDiagnosis;
import io.autonomic.models.forecast.TrainForecast;
import io.autonomic.models.release.Publish;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code autonomic train [anomaly|forecast|diagnosis] OPTIONS}: the model a live job uses, from recorded telemetry or
 * incident history, written as releases (model, Tribuo provenance, signals) into {@code --output} with an evaluation
 * summary printed. Without a model word it trains the anomaly model, as before the other models existed.
 * {@code --publish HOST:PORT} then puts the written releases on the models topic, where detect swaps them in.
 */
@Command(name = "train", mixinStandardHelpOptions = false,
        description = {"Train the models detect uses, with Tribuo provenance saved beside each and an evaluation "
                + "summary printed:",
                "  train [anomaly] --kind KIND --output DIR (--input FILE | --topic points|enriched "
                        + "--bootstrap-servers HOST:PORT) [--resources REGEX] [--signals a,b] [--bucket 15s] [--nu] "
                        + "[--gamma] [--publish HOST:PORT]",
                "  train forecast --output DIR (--input FILE | --topic points|enriched --bootstrap-servers HOST:PORT)"
                        + " [--with-scenarios] [--horizon 30m] [--publish HOST:PORT]",
                "  train diagnosis --output DIR [--history incidents.jsonl] [--seed N] [--holdout 0.25]",
                "Detect loads the models of its --models-dir at start; anomaly and forecast models published to the "
                        + "models topic replace them live."})
final class TrainCommand implements Callable<Integer> {

    static final String PUBLISH = "--publish";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return run(args, System.out);
    }

    static int run(List<String> args, PrintStream out) {
        String model = args.isEmpty() || args.get(0).startsWith("-") ? "anomaly" : args.get(0);
        List<String> rest = args.isEmpty() || args.get(0).startsWith("-") ? args : args.subList(1, args.size());
        return switch (model) {
            // the anomaly trainer publishes by itself (it knows its output directory)
            case "anomaly" -> Train.run(rest.toArray(String[]::new), out);
            case "forecast" -> trainThenPublish(rest, out);
            case "diagnosis" -> TrainDiagnosis.run(rest.toArray(String[]::new), out);
            default -> {
                out.println("train: unknown model '" + model + "'; one of anomaly, forecast, diagnosis");
                yield 2;
            }
        };
    }

    private static int trainThenPublish(List<String> args, PrintStream out) {
        List<String> trainArgs = new ArrayList<>();
        String publishTo = null;
        String output = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (PUBLISH.equals(arg) || "--output".equals(arg)) {
                if (i + 1 >= args.size()) {
                    out.println("train forecast: option " + arg + " needs a value");
                    return 2;
                }
                String value = args.get(++i);
                if (PUBLISH.equals(arg)) {
                    publishTo = value;
                    continue;
                }
                output = value;
                trainArgs.add(arg);
                trainArgs.add(value);
            } else {
                trainArgs.add(arg);
            }
        }
        int trained = TrainForecast.run(trainArgs.toArray(String[]::new), out);
        if (trained != 0 || publishTo == null) {
            return trained;
        }
        return Publish.run(new String[] {"--bootstrap-servers", publishTo, "--models", output}, out);
    }
}
