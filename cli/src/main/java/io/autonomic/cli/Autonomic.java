package io.autonomic.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code autonomic} command. */
@Command(name = "autonomic", mixinStandardHelpOptions = true, version = "autonomic 0.1.0",
        description = "Self-healing pipeline: OpenTelemetry in, safe verified remediation out.",
        subcommands = {DemoCommand.class, UpCommand.class, JobCommand.class, WorkerCommand.class,
                ReceiverCommand.class, TopologyCommand.class, ThreatIntelCommand.class, KillSwitchCommand.class,
                ApproveCommand.class, BacktestCommand.class, TrainCommand.class, PublishCommand.class,
                CommandLine.HelpCommand.class})
public final class Autonomic implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new Autonomic())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof IllegalArgumentException) {
                        // Configuration errors carry a message naming the option or file line: show just that.
                        cmd.getErr().println("autonomic: " + e.getMessage());
                        return 2;
                    }
                    cmd.getErr().println("autonomic: " + e);
                    e.printStackTrace(cmd.getErr());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
