package io.autonomic.models.release;

import io.autonomic.schemas.Option;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.ModelRelease;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code publish}: puts the models a training run wrote into a directory on the models topic, where the running
 * detect job swaps them in without a restart; or withdraws models.
 *
 * <pre>
 * publish --bootstrap-servers kafka:9092 --models DIR [--topic.models=NAME] [--timeout 30s]
 * publish --bootstrap-servers kafka:9092 --withdraw anomaly/HOST_PROCESS[,NAME...] [--topic.models=NAME]
 * </pre>
 *
 * Exit codes: 0 done, 2 usage error, 1 the directory or Kafka failed.
 */
public final class Publish {

    public static final Option<Path> MODELS = Option.path("models", null,
            "directory of model releases written by train (*.release, *.model, *.signals, *.provenance.txt)");
    public static final Option<String> WITHDRAW = Option.string("withdraw", null,
            "comma-separated model names to withdraw (tombstones on the models topic), e.g. anomaly/HOST_PROCESS");
    public static final Option<Duration> TIMEOUT = Option.duration("timeout", ModelPublisher.DEFAULT_TIMEOUT,
            "how long to wait for Kafka");
    static final List<Option<?>> OPTIONS = List.of(PipelineOptions.BOOTSTRAP_SERVERS, MODELS, WITHDRAW, TIMEOUT);
    private static final String USAGE = "usage: publish --bootstrap-servers HOST:PORT (--models DIR | --withdraw NAME,...)"
            + " [--topic.models=NAME] [--timeout 30s]";

    private Publish() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        return run(args, out, Clock.systemUTC());
    }

    static int run(String[] args, PrintStream out, Clock clock) {
        Options options;
        Topic<String, ModelRelease> topic;
        try {
            options = Options.parse(args, OPTIONS, List.of(PipelineOptions.TOPIC_PREFIX));
            topic = PipelineOptions.topics(options).models();
            if ((options.get(MODELS) == null) == (options.get(WITHDRAW) == null)) {
                throw new IllegalArgumentException("give exactly one of --models DIR and --withdraw NAME,...");
            }
        } catch (IllegalArgumentException e) {
            out.println("publish: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        String bootstrap = options.require(PipelineOptions.BOOTSTRAP_SERVERS);
        Duration timeout = options.get(TIMEOUT);
        try {
            if (options.get(WITHDRAW) != null) {
                List<String> names = Arrays.stream(options.get(WITHDRAW).split(",")).map(String::trim)
                        .filter(name -> !name.isEmpty()).toList();
                ModelPublisher.Summary summary = ModelPublisher.withdraw(bootstrap, topic, names, timeout);
                out.println("withdrew " + summary.withdrawn() + " from " + topic.name()
                        + (summary.withdrawn().size() < names.size() ? " (the others were not live)" : ""));
                return 0;
            }
            List<ModelRelease> releases = ModelPublisher.releasesIn(options.get(MODELS), clock.millis());
            if (releases.isEmpty()) {
                out.println("publish: no model releases (*.release files) in " + options.get(MODELS));
                return 2;
            }
            ModelPublisher.Summary summary = ModelPublisher.publish(bootstrap, topic, releases, timeout);
            for (ModelRelease release : releases) {
                out.printf("%s %s version %s%n", summary.published().contains(release.getModelName()) ? "published"
                        : "unchanged", release.getModelName(), release.getVersion());
            }
            out.println(summary.published().size() + " published, " + summary.unchanged().size()
                    + " already live, on " + topic.name());
            return 0;
        } catch (IOException e) {
            out.println("publish: cannot read the models: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("publish: " + e.getMessage());
            return 1;
        }
    }
}
