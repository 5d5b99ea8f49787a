package io.autonomic.cli;

import io.autonomic.cli.demo.DemoRunner;
import io.autonomic.cli.demo.Scenario;
import io.autonomic.cli.demo.ScenarioResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole loop embedded with real demo services, inject faults, and print the timeline. "
                + "Exits 0 when every scenario recovered.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--scenario", paramLabel = "NAME", description = "Run only this scenario (see --list).")
    List<String> scenarios;

    @Option(names = "--list", description = "List the scenarios and exit.")
    boolean list;

    @Option(names = "--json", description = "Print the timeline as JSON lines.")
    boolean json;

    @Option(names = "--work-dir", description = "Where the demo keeps its data, logs and audit trail "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "autonomic-data/demo")
    Path workDir;

    @Option(names = "--timeout", description = "How long each scenario may take to recover (default: ${DEFAULT-VALUE}).",
            defaultValue = "180s", converter = DurationConverter.class)
    Duration timeout;

    @Option(names = "--warm-up", description = "Baseline traffic before the first fault (default: ${DEFAULT-VALUE}).",
            defaultValue = "10s", converter = DurationConverter.class)
    Duration warmUp;

    @Override
    public Integer call() throws Exception {
        if (list) {
            for (Scenario scenario : Scenario.ALL) {
                System.out.printf("%-12s %s (expects %s)%n", scenario.name(), scenario.description(),
                        scenario.expectedAction());
            }
            return 0;
        }
        List<Scenario> chosen = scenarios == null || scenarios.isEmpty() ? Scenario.ALL
                : scenarios.stream().map(name -> Scenario.named(name).orElseThrow(() -> new IllegalArgumentException(
                        "--scenario: unknown scenario '" + name + "'; known: "
                                + Scenario.ALL.stream().map(Scenario::name).toList()))).toList();
        DemoRunner.TimelinePrinter printer = DemoRunner.TimelinePrinter.create(System.out, json);
        List<ScenarioResult> results = new DemoRunner(workDir.toAbsolutePath(), timeout, warmUp, printer,
                Clock.systemUTC()).run(chosen);
        boolean allRecovered = results.stream().allMatch(ScenarioResult::recovered);
        if (!json) {
            System.out.println();
            System.out.println(allRecovered ? "All " + results.size() + " scenario(s) recovered."
                    : "Some scenarios did not recover; see the timeline above and the audit trail in " + workDir);
        }
        return allRecovered ? 0 : 1;
    }
}
