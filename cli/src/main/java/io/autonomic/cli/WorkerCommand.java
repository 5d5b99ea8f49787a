package io.autonomic.cli;

import io.autonomic.act.WorkerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "worker", mixinStandardHelpOptions = false,
        description = "Run the action worker as a service against an external Kafka (options: see --help of WorkerMain).")
final class WorkerCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        WorkerMain.main(args.toArray(String[]::new));
        return 0;
    }
}
