package io.autonomic.cli;

import io.autonomic.enrich.threat.ThreatIntelFile;
import io.autonomic.enrich.threat.ThreatIntelPublisher;
import io.autonomic.schemas.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "threat-intel", mixinStandardHelpOptions = true,
        description = {"Validate threat-intelligence CSV files (block lists, reputation, CIDR->country/ASN, bad user "
                + "agents; see docs/threat-intel.md), or publish them to the compacted threat-intel topic, where "
                + "enrich picks them up live. Publishing a file replaces the entries previously published from the "
                + "same path and leaves other files' entries alone."})
final class ThreatIntelCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "validate or publish")
    String verb;

    @Option(names = {"--file", "-f"}, required = true, description = "a threat-intelligence CSV file; repeatable")
    List<Path> files = new ArrayList<>();

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    @Option(names = "--topic", description = "Threat-intel topic (default: the catalog's).")
    String topic;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for Kafka (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    private final Clock clock;

    ThreatIntelCommand() {
        this(Clock.systemUTC());
    }

    ThreatIntelCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        List<ThreatIntelFile> parsed = files.stream().map(ThreatIntelFile::parse).toList();
        switch (verb) {
            case "validate" -> parsed.forEach(file -> System.out.println(file.source() + ": "
                    + file.indicators().size() + " " + file.format().name().toLowerCase().replace('_', '-')
                    + " entr" + (file.indicators().size() == 1 ? "y" : "ies") + ", valid"));
            case "publish" -> {
                var target = Topics.defaults().threatIntel();
                if (topic != null) {
                    target = target.withName(topic);
                }
                System.out.println(ThreatIntelPublisher.publish(bootstrapServers, target, parsed, clock.millis(),
                        timeout));
            }
            default -> throw new IllegalArgumentException("threat-intel: unknown verb '" + verb
                    + "'; use validate or publish");
        }
        return 0;
    }
}
