package io.autonomic.act.playbook;

import static io.autonomic.act.testing.Commands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.act.playbook.Playbook.OnFailure;
import io.autonomic.act.testing.Commands;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.ResourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlaybookCatalogTest {

    private static final String ONE = """
            playbooks:
              - name: restart-on-5xx
                layer: application
                mode: needs-approval
                trigger: {incidentType: http-5xx, resourceKind: HOST_PROCESS, labels: {tier: web}}
                cooldown: 5m
                maxAttempts: 2
                blastRadius: {maxConcurrent: 3, perMinute: 6, maxServiceFraction: 0.5}
                escalation: [notify.slack]
                steps:
                  - action: process.restart
                    verifyWithin: 60s
                    onFailure: next
                  - {action: notify.slack, parameters: {severity: high}, onFailure: escalate}
              - name: off
                enabled: false
                trigger: {incidentType: disk-pressure}
                steps: [{action: process.remove-files}]
            """;

    private static PlaybookCatalog parse(String yaml, boolean strict) {
        return PlaybookCatalog.parse(yaml, "test.yaml", KnownActions.ALL, strict);
    }

    private static String replace(String from, String to) {
        assertThat(ONE).contains(from);
        return ONE.replace(from, to);
    }

    @Test
    void parse_fullPlaybook_everyField() {
        Playbook playbook = parse(ONE, true).find("restart-on-5xx").orElseThrow();

        assertThat(playbook.layer()).isEqualTo(Layer.APPLICATION);
        assertThat(playbook.enabled()).isTrue();
        assertThat(playbook.mode()).isEqualTo(ExecutionMode.NEEDS_APPROVAL);
        assertThat(playbook.trigger()).isEqualTo(new Playbook.Trigger("http-5xx", ResourceKind.HOST_PROCESS,
                Map.of("tier", "web")));
        assertThat(playbook.cooldown()).contains(Duration.ofMinutes(5));
        assertThat(playbook.maxAttempts()).hasValue(2);
        assertThat(playbook.blastRadius()).isEqualTo(new Playbook.BlastRadius(3, 6, 0.5));
        assertThat(playbook.escalation()).containsExactly("notify.slack");
        assertThat(playbook.steps()).extracting(Playbook.Step::action).containsExactly("process.restart", "notify.slack");
        assertThat(playbook.steps().get(0).verifyWithin()).isEqualTo(Duration.ofSeconds(60));
        assertThat(playbook.steps().get(1).onFailure()).isEqualTo(OnFailure.ESCALATE);
        assertThat(playbook.steps().get(1).parameters()).containsEntry("severity", "high");
        assertThat(playbook.line()).isEqualTo(2);
    }

    @Test
    void parse_cooldownAndMaxAttemptsUndeclared_areEmptySoWorkerWideSettingsApply() {
        Playbook off = parse(ONE, true).find("off").orElseThrow();

        assertThat(off.cooldown()).isEmpty();
        assertThat(off.maxAttempts()).isEmpty();
    }

    @Test
    void parse_errors_nameTheLineAndField() {
        assertThatThrownBy(() -> parse(replace("cooldown: 5m", "cooldown: soon"), false))
                .isInstanceOf(PlaybookException.class).hasMessageStartingWith("test.yaml:6: cooldown:");
        assertThatThrownBy(() -> parse(replace("    maxAttempts: 2", "    maxAttempts: 2\n    retries: 4"), false))
                .hasMessageStartingWith("test.yaml:8: retries: unknown field");
        assertThatThrownBy(() -> parse(replace("mode: needs-approval", "mode: yolo"), false))
                .hasMessageStartingWith("test.yaml:4: mode:").hasMessageContaining("needs-approval");
        assertThatThrownBy(() -> parse(replace("maxServiceFraction: 0.5", "maxServiceFraction: 2"), false))
                .hasMessageStartingWith("test.yaml:8: blastRadius.maxServiceFraction:");
        assertThatThrownBy(() -> parse(replace("name: off", "name: restart-on-5xx"), false))
                .hasMessageContaining("duplicate playbook 'restart-on-5xx'");
        assertThatThrownBy(() -> parse("playbooks:\n  - name: x\n    trigger: {incidentType: a}\n    steps: []\n", false))
                .hasMessageStartingWith("test.yaml:4: steps:").hasMessageContaining("at least one step");
        assertThatThrownBy(() -> parse("playbooks: [\n", false)).hasMessageContaining("not valid YAML");
    }

    @Test
    void parse_unknownAction_errorWhenStrict_warningOtherwise() {
        String yaml = replace("action: process.restart", "action: process.reboot-the-world");

        assertThatThrownBy(() -> parse(yaml, true)).hasMessageStartingWith("test.yaml:11: action:")
                .hasMessageContaining("process.reboot-the-world");
        assertThat(parse(yaml, false).warnings()).singleElement().asString().contains("test.yaml:11")
                .contains("process.reboot-the-world");
    }

    @Test
    void defaults_coverTheSeedFamilies_andNameOnlyKnownActions() {
        PlaybookCatalog defaults = PlaybookCatalog.defaults(KnownActions.ALL, true);

        assertThat(defaults.all()).extracting(p -> p.trigger().incidentType()).contains("http-5xx", "disk-pressure",
                "config-drift", "certificate-expiry", "jvm-heap-pressure", "memory-leak", "network-ddos",
                "db-degradation", "bad-deploy", "unhealthy-instance", "pool-exhaustion", "predicted-exhaustion",
                "unhealthy-endpoint", "backup-failure", "crash-loop");
        assertThat(defaults.find("restart-on-5xx").orElseThrow().declares("process.restart")).isTrue();
        assertThat(defaults.find("clean-log-dir").orElseThrow().declares("process.remove-files")).isTrue();
        assertThat(defaults.warnings()).isEmpty();
    }

    @Test
    void defaults_withOnlyProcessExecutor_warnInsteadOfFailing() {
        PlaybookCatalog defaults = PlaybookCatalog.defaults(Set.of("process.restart", "process.remove-files"), false);

        assertThat(defaults.warnings()).isNotEmpty().allSatisfy(w -> assertThat(w).doesNotContain("process."));
    }

    @Test
    void refuse_unknownDisabledOrUndeclared_withReason() {
        PlaybookCatalog catalog = parse(ONE, true);

        assertThat(catalog.refuse(Commands.restart("k", T0).build())).isEmpty();
        assertThat(catalog.refuse(Commands.restart("k", T0).setPlaybook("nope").build()))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("unknown-playbook"));
        assertThat(catalog.refuse(Commands.restart("k", T0).setPlaybook("off").setAction("process.remove-files").build()))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo("playbook-disabled"));
        assertThat(catalog.refuse(Commands.restart("k", T0).setAction("process.remove-files").build()))
                .hasValueSatisfying(r -> {
                    assertThat(r.reason()).isEqualTo("undeclared-action");
                    assertThat(r.detail()).contains("[process.restart, notify.slack]");
                });
        assertThat(List.copyOf(catalog.all())).hasSize(2);
    }
}
