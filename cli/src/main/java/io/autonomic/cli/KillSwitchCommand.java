package io.autonomic.cli;

import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.ControlSignal;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill-switch", mixinStandardHelpOptions = true,
        description = "Stop (on) or allow (off) every automatic action, for all workers, within a second.")
final class KillSwitchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "on or off")
    String state;

    @Option(names = "--reason", defaultValue = "", description = "Why; kept in the audit trail.")
    String reason;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        boolean enabled = switch (state) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("kill-switch: expected on or off, got '" + state + "'");
        };
        var topic = Topics.defaults().control();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        ControlSignal signal = ControlSignal.newBuilder().setName("kill-switch").setEnabled(enabled)
                .setActor(System.getProperty("user.name", "unknown")).setReason(reason)
                .setAtMillis(System.currentTimeMillis()).build();
        try (var producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), "kill-switch", signal)).get(30, TimeUnit.SECONDS);
        }
        System.out.println("kill switch " + state + (reason.isEmpty() ? "" : " (" + reason + ")"));
        return 0;
    }
}
