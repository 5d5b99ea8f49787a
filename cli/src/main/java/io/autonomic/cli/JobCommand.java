package io.autonomic.cli;

import io.autonomic.detect.DetectJob;
import io.autonomic.enrich.EnrichJob;
import io.autonomic.ingest.IngestJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

@Command(name = "job", mixinStandardHelpOptions = true,
        description = "Run one Flink job in a local MiniCluster against an external Kafka "
                + "(the same main the job jar runs on a Flink cluster). Options: --bootstrap-servers, --topic.<id>=NAME, "
                + "--checkpoint-interval, --parallelism, and the job's own.")
final class JobCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "ingest, enrich or detect")
    String job;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        String[] jobArgs = args.toArray(String[]::new);
        switch (job) {
            case "ingest" -> IngestJob.main(jobArgs);
            case "enrich" -> EnrichJob.main(jobArgs);
            case "detect" -> DetectJob.main(jobArgs);
            default -> throw new IllegalArgumentException("job: unknown job '" + job + "'; known: ingest, enrich, detect");
        }
        return 0;
    }
}
