package io.autonomic.cli;

import io.autonomic.models.anomaly.Train;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "train", mixinStandardHelpOptions = false,
        description = "Train a resource kind's anomaly model from recorded signals, with Tribuo provenance saved beside "
                + "it and an evaluation summary. Options: --input signals.csv --kind KIND --output DIR [--nu] [--gamma]")
final class TrainCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return Train.run(args.toArray(String[]::new), System.out);
    }
}
