package io.autonomic.cli;

import io.autonomic.enrich.TopologyFile;
import io.autonomic.enrich.TopologyPublisher;
import io.autonomic.schemas.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Validate a topology YAML file, or publish it to the compacted topology topic (applies live).")
final class TopologyCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "validate or publish")
    String verb;

    @Parameters(index = "1", description = "the topology YAML file")
    Path file;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    @Option(names = "--topic", description = "Topology topic (default: the catalog's).")
    String topic;

    @Override
    public Integer call() throws Exception {
        var entries = TopologyFile.parse(file).entries();
        switch (verb) {
            case "validate" -> System.out.println(file + ": " + entries.size() + " service(s), valid");
            case "publish" -> {
                var target = Topics.defaults().topology();
                if (topic != null) {
                    target = target.withName(topic);
                }
                System.out.println(TopologyPublisher.publish(bootstrapServers, target, entries));
            }
            default -> throw new IllegalArgumentException("topology: unknown verb '" + verb + "'; use validate or publish");
        }
        return 0;
    }
}
