package io.autonomic.cli;

import io.autonomic.models.release.Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "publish", mixinStandardHelpOptions = false,
        description = {"Put the model releases train wrote on the models topic (detect swaps them in without a "
                + "restart), or withdraw models:",
                "  publish --bootstrap-servers HOST:PORT --models DIR [--topic.models=NAME]",
                "  publish --bootstrap-servers HOST:PORT --withdraw anomaly/HOST_PROCESS[,NAME...]"})
final class PublishCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return Publish.run(args.toArray(String[]::new), System.out);
    }
}
