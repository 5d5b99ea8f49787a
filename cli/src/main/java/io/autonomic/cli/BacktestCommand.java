package io.autonomic.cli;

import io.autonomic.detect.backtest.Backtest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "backtest", mixinStandardHelpOptions = false,
        description = "Run the streaming detectors over recorded series (CSV files, a directory, or a topic) and write "
                + "anomaly scores; with labels, print precision, recall, F1 and time to detect. "
                + "Options: --input PATH (repeatable) --output PATH [--config detect.yaml] "
                + "| --topic NAME --bootstrap-servers HOST:PORT --series-key KEY --output scores.csv")
final class BacktestCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return Backtest.run(args.toArray(String[]::new), System.out);
    }
}
