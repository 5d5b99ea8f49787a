package io.autonomic.cli;

import io.autonomic.ingest.OtlpHttpReceiver;
import io.autonomic.schemas.Topics;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "receiver", mixinStandardHelpOptions = true,
        description = "Run the OTLP/HTTP receiver: POST /v1/metrics is written to the otlp_metrics topic.")
final class ReceiverCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    @Option(names = "--port", defaultValue = "4318")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--topic", description = "Topic for OTLP metrics (default: the catalog's otlp_metrics).")
    String topic;

    @Override
    public Integer call() throws Exception {
        OtlpHttpReceiver receiver = OtlpHttpReceiver.builder()
                .host(host)
                .port(port)
                .bootstrapServers(bootstrapServers)
                .topic(topic == null ? Topics.defaults().otlpMetrics().name() : topic)
                .build();
        receiver.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            receiver.close();
            stopped.countDown();
        }));
        System.out.println("OTLP/HTTP receiver on " + receiver.endpoint() + "/v1/metrics -> " + bootstrapServers);
        stopped.await();
        return 0;
    }
}
