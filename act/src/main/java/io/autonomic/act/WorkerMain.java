package io.autonomic.act;

import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the action worker until SIGTERM/SIGINT: {@code java -cp … io.autonomic.act.WorkerMain --bootstrap-servers
 * kafka:9092 --process-config processes.yaml --allowed-dir /var/log/app}. A configuration error prints a message
 * naming the option and exits with status 2.
 */
public final class WorkerMain {

    static final int EXIT_CONFIG_ERROR = 2;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Builds the worker and runs it on the calling thread until the JVM is asked to stop; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.println(usage());
            return 0;
        }
        ActionWorker worker;
        try {
            worker = ActionWorker.fromOptions(parse(args));
        } catch (IllegalArgumentException e) {
            err.println("autonomic act worker: " + e.getMessage());
            err.println(usage());
            return EXIT_CONFIG_ERROR;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "act-worker-shutdown"));
        worker.run();
        return 0;
    }

    static Options parse(String[] args) {
        return Options.parse(args, WorkerOptions.ALL, List.of(PipelineOptions.TOPIC_PREFIX));
    }

    static String usage() {
        return "usage: WorkerMain [options]\n" + Options.usage(WorkerOptions.ALL)
                + "  --topic.<id>=<name>            override a topic name (ids: commands, audit, health, control, dead-letters, ...)";
    }
}
