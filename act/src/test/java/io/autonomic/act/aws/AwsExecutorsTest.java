package io.autonomic.act.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.ActionExecutor;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AwsExecutorsTest {

    @TempDir
    Path dir;

    @Test
    void fromOptions_notEnabled_buildsNothing() {
        assertThat(AwsExecutors.fromOptions(Options.of(Map.of(), AwsExecutors.OPTIONS))).isEmpty();
    }

    @Test
    void fromOptions_enabled_registersEveryActionOnce() throws Exception {
        Path cleanup = Files.writeString(dir.resolve("cleanup.yaml"),
                "cleanup-commands:\n  tmp:\n    - find /tmp/app -type f -mtime +1 -delete\n");

        List<ActionExecutor> executors = AwsExecutors.fromOptions(Options.of(Map.of("aws-enabled", "true",
                "aws-region", "us-east-1", "aws-endpoint", "http://localhost:4566",
                "aws-ssm-cleanup-commands", cleanup.toString()), AwsExecutors.OPTIONS));

        List<String> actions = executors.stream().flatMap(e -> e.actions().stream()).toList();
        assertThat(actions).doesNotHaveDuplicates().containsExactlyInAnyOrder(
                "aws.ssm.start-automation", "aws.ssm.run-cleanup", "aws.ecs.force-new-deployment", "aws.ecs.stop-task",
                "aws.autoscaling.set-desired-capacity", "aws.autoscaling.set-instance-unhealthy", "aws.ec2.reboot",
                "aws.ec2.revoke-open-ingress", "aws.lambda.rollback-alias", "aws.route53.shift-weight", "aws.wafv2.block-cidr",
                "aws.wafv2.set-rate-limit");
        assertThat(executors).filteredOn(SsmExecutor.class::isInstance).singleElement()
                .extracting(e -> ((SsmExecutor) e).cleanupCommands())
                .isEqualTo(Map.of("tmp", List.of("find /tmp/app -type f -mtime +1 -delete")));
    }

    @Test
    void readCleanupCommands_badEntry_failsNamingFileAndEntry() throws Exception {
        Path cleanup = Files.writeString(dir.resolve("cleanup.yaml"), "cleanup-commands:\n  tmp: []\n");

        assertThatThrownBy(() -> AwsExecutors.readCleanupCommands(cleanup))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining(cleanup.toString())
                .hasMessageContaining("cleanup-commands.tmp");
    }

    @Test
    void readCleanupCommands_malformedYaml_failsNamingTheLine() throws Exception {
        Path cleanup = Files.writeString(dir.resolve("cleanup.yaml"), "cleanup-commands:\n  tmp: [a\n  b: : c\n");

        assertThatThrownBy(() -> AwsExecutors.readCleanupCommands(cleanup))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("line ");
    }

    @Test
    void fromOptions_relativeEndpoint_failsNamingTheOption() {
        assertThatThrownBy(() -> AwsExecutors.fromOptions(Options.of(Map.of("aws-enabled", "true",
                "aws-endpoint", "localhost"), AwsExecutors.OPTIONS)))
                .isInstanceOf(OptionException.class)
                .hasMessageContaining("--aws-endpoint");
    }

    @Test
    void options_everyExecutorOptionDescribedAndNoNameClashesWithTheWorkerOrEachOther() {
        List<io.autonomic.schemas.Option<?>> all = new java.util.ArrayList<>(io.autonomic.act.WorkerOptions.WORKER);
        all.addAll(AwsExecutors.OPTIONS);
        all.addAll(io.autonomic.act.k8s.KubernetesExecutors.OPTIONS);
        all.addAll(io.autonomic.act.notify.Notifiers.OPTIONS);

        assertThat(all).extracting(io.autonomic.schemas.Option::name).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(option -> assertThat(option.description()).as(option.name()).isNotBlank());
        // the worker can parse one command line holding every option at once
        assertThat(Options.parse(new String[] {"--aws-enabled=false", "--k8s-max-evictions=5",
                "--jira-api-version=2"}, all).get(io.autonomic.act.k8s.KubernetesExecutors.MAX_EVICTIONS)).isEqualTo(5);
    }
}
