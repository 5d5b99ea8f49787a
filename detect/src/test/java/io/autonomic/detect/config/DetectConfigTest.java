package io.autonomic.detect.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectConfigTest {

    @Test
    void defaults_loadTheShippedResource() {
        DetectConfig config = DetectConfig.defaults();

        assertThat(config.rules()).extracting(ThresholdRule::name)
                .startsWith("high-error-ratio", "log-dir-nearly-full", "jvm-heap-nearly-full", "db-io-errors");
        ThresholdRule errors = config.rules().get(0);
        assertThat(errors.metric()).isEqualTo("http.server.error_ratio");
        assertThat(errors.above()).isEqualTo(0.2);
        assertThat(errors.below()).isNull();
        assertThat(errors.holdFor()).isEqualTo(Duration.ofSeconds(3));
        assertThat(errors.incidentType()).isEqualTo("http-5xx");
        assertThat(errors.match()).isEmpty();
        assertThat(config.playbooks()).extracting(Playbook::name)
                .startsWith("restart-on-5xx", "clean-log-dir", "restart-on-heap-pressure", "restart-db-on-io-errors");
        assertThat(config.playbooks().get(0).resourceKind()).isEqualTo(ResourceKind.HOST_PROCESS);
        // a restart loses in-memory state: the shipped heap-pressure playbook only proposes it
        assertThat(config.playbooks().get(2).mode()).isEqualTo(ExecutionMode.NEEDS_APPROVAL);
        Playbook clean = config.playbooks().get(1);
        assertThat(clean.action()).isEqualTo("process.remove-files");
        assertThat(clean.mode()).isEqualTo(ExecutionMode.EXECUTE);
        assertThat(clean.verifyWithin()).isEqualTo(Duration.ofSeconds(60));
        assertThat(clean.expiresAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(clean.parameters()).containsExactlyInAnyOrderEntriesOf(
                Map.of("directory", "${attr.log.dir}", "pattern", "*.log.*"));
        assertThat(config.incident()).isEqualTo(IncidentSettings.DEFAULTS);
        assertThat(config.detector()).isEqualTo(DetectorSettings.DEFAULTS);
    }

    @Test
    void parse_emptyDocument_givesDefaultsWithoutRules() {
        DetectConfig config = DetectConfig.parse("", "empty.yaml");

        assertThat(config.rules()).isEmpty();
        assertThat(config.playbooks()).isEmpty();
        assertThat(config.incident()).isEqualTo(IncidentSettings.DEFAULTS);
        assertThat(config.detector()).isEqualTo(DetectorSettings.DEFAULTS);
    }

    @Test
    void parse_ruleBelowWithMatchAndPlaybookWithoutRule_isAccepted() {
        DetectConfig config = DetectConfig.parse("""
                rules:
                  - name: no-traffic
                    metric: http.server.request.rate
                    below: 0.5
                    for: 1m
                    incidentType: no-traffic
                    match: {http.route: /checkout}
                playbooks:
                  - name: page-someone
                    incidentType: database-down
                    action: webhook.post
                    parameters: {service: "${resource.service}", id: "${resource.id}"}
                incident: {groupWindow: 500ms, recoveryPeriod: 1m, minConfidence: 0.8}
                detector: {enabled: false, warmup: 10, threshold: 4}
                """, "custom.yaml");

        ThresholdRule rule = config.rules().get(0);
        assertThat(rule.below()).isEqualTo(0.5);
        assertThat(rule.above()).isNull();
        assertThat(rule.holdFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rule.match()).containsEntry("http.route", "/checkout");
        Playbook playbook = config.playbooks().get(0);
        assertThat(playbook.mode()).as("default mode is the safe one").isEqualTo(ExecutionMode.DRY_RUN);
        assertThat(playbook.verifyWithin()).isEqualTo(Playbook.DEFAULT_VERIFY_WITHIN);
        assertThat(config.incident().groupWindow()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.incident().minConfidence()).isEqualTo(0.8);
        assertThat(config.detector().enabled()).isFalse();
        assertThat(config.detector().warmup()).isEqualTo(10);
        assertThat(config.detector().threshold()).isEqualTo(4.0);
        assertThat(config.detector().alpha()).isEqualTo(DetectorSettings.DEFAULTS.alpha());
    }

    @Test
    void parse_correlationSettings_areReadAndDefaulted() {
        DetectConfig config = DetectConfig.parse("""
                incident: {correlate: false, correlationWindow: 30s, maxHops: 1, maxMembers: 5}
                """, "correlation.yaml");

        assertThat(config.incident().correlate()).isFalse();
        assertThat(config.incident().correlationWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.incident().maxHops()).isEqualTo(1);
        assertThat(config.incident().maxMembers()).isEqualTo(5);
        assertThat(config.incident().groupWindow()).isEqualTo(IncidentSettings.DEFAULTS.groupWindow());
        assertThat(DetectConfig.defaults().incident().correlate()).isTrue();
        assertThat(DetectConfig.defaults().incident().maxHops()).isEqualTo(IncidentSettings.DEFAULT_MAX_HOPS);
    }

    @Test
    void parse_maxHopsBelowOne_namesTheField() {
        assertThatThrownBy(() -> DetectConfig.parse("""
                incident:
                  maxHops: 0
                """, "hops.yaml"))
                .isInstanceOf(DetectConfigException.class)
                .hasMessageContaining("hops.yaml")
                .hasMessageContaining("maxHops")
                .hasMessageContaining("at least 1");
    }

    @Test
    void parse_unknownField_namesLineAndField() {
        assertThatThrownBy(() -> DetectConfig.parse("""
                rules:
                  - name: high-error-ratio
                    metric: http.server.error_ratio
                    abov: 0.2
                    incidentType: http-5xx
                """, "typo.yaml"))
                .isInstanceOf(DetectConfigException.class)
                .hasMessageStartingWith("typo.yaml line 4: rules[0].abov: unknown field")
                .hasMessageContaining("above")
                .satisfies(e -> {
                    DetectConfigException error = (DetectConfigException) e;
                    assertThat(error.line()).isEqualTo(4);
                    assertThat(error.field()).isEqualTo("rules[0].abov");
                });
    }

    @Test
    void parse_unknownTopLevelField_namesIt() {
        assertThatThrownBy(() -> DetectConfig.parse("rules: []\nplaybook: []\n", "top.yaml"))
                .hasMessageStartingWith("top.yaml line 2: playbook: unknown field");
    }

    @Test
    void parse_badDuration_namesLineAndField() {
        assertThatThrownBy(() -> DetectConfig.parse("""
                rules:
                  - name: a
                    metric: m
                    above: 1
                    incidentType: t
                  - name: b
                    metric: m
                    above: 1
                    for: 3 fortnights
                    incidentType: t
                """, "durations.yaml"))
                .isInstanceOf(DetectConfigException.class)
                .hasMessageStartingWith("durations.yaml line 9: rules[1].for: cannot read '3 fortnights' as a duration");
    }

    @Test
    void parse_unknownMode_namesLineAndField() {
        assertThatThrownBy(() -> DetectConfig.parse("""
                playbooks:
                  - name: restart
                    incidentType: http-5xx
                    action: process.restart
                    mode: yolo
                """, "modes.yaml"))
                .hasMessageStartingWith("modes.yaml line 5: playbooks[0].mode: cannot read 'yolo' as one of execute,"
                        + " dry-run, needs-approval");
    }

    @Test
    void parse_unknownTemplateReference_namesParameter() {
        assertThatThrownBy(() -> DetectConfig.parse("""
                playbooks:
                  - name: clean
                    incidentType: disk-pressure
                    action: process.remove-files
                    parameters:
                      pattern: "*.log.*"
                      directory: "${point.log.dir}"
                """, "templates.yaml"))
                .hasMessageStartingWith("templates.yaml line 7: playbooks[0].parameters.directory: unknown reference "
                        + "${point.log.dir}");
    }

    @Test
    void parse_ruleWithoutThresholdOrWithBoth_fails() {
        assertThatThrownBy(() -> DetectConfig.parse("rules:\n  - {name: a, metric: m, incidentType: t}\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 2: rules[0]: set one of 'above' or 'below'");
        assertThatThrownBy(() -> DetectConfig.parse(
                "rules:\n  - name: a\n    metric: m\n    above: 1\n    below: 0\n    incidentType: t\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 5: rules[0].below: set only one");
    }

    @Test
    void parse_missingRequiredFieldOrWrongShape_fails() {
        assertThatThrownBy(() -> DetectConfig.parse("rules:\n  - name: a\n    above: 1\n    incidentType: t\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 2: rules[0].metric: is required");
        assertThatThrownBy(() -> DetectConfig.parse("rules: {name: a}\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 1: rules: expected a list");
        assertThatThrownBy(() -> DetectConfig.parse("rules:\n  - name: a\n    metric: m\n    above: lots\n"
                + "    incidentType: t\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 4: rules[0].above: cannot read 'lots' as a number");
    }

    @Test
    void parse_duplicateNamesAndOutOfRangeSettings_fail() {
        assertThatThrownBy(() -> DetectConfig.parse("rules:\n  - {name: a, metric: m, above: 1, incidentType: t}\n"
                + "  - {name: a, metric: m, above: 2, incidentType: t}\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 3: rules[1].name: duplicate rule name 'a'");
        assertThatThrownBy(() -> DetectConfig.parse("incident:\n  minConfidence: 2\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 2: incident.minConfidence: must be within [0, 1]");
        assertThatThrownBy(() -> DetectConfig.parse("incident:\n  groupWindow: 0s\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 2: incident.groupWindow: must be a positive duration");
        assertThatThrownBy(() -> DetectConfig.parse("detector:\n  warmup: 1\n  alpha: 3\n", "x.yaml"))
                .hasMessageStartingWith("x.yaml line 3: detector.alpha: alpha must be within (0, 1]");
    }

    @Test
    void parse_invalidYaml_namesTheLine() {
        assertThatThrownBy(() -> DetectConfig.parse("rules:\n  - name: a\n   metric: [unclosed\n", "broken.yaml"))
                .isInstanceOf(DetectConfigException.class)
                .hasMessageMatching("broken\\.yaml line \\d+: not valid YAML: (?s).*");
    }

    @Test
    void load_readsFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "rules:\n  - {name: r, metric: m, above: 1, incidentType: t}\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "incident:\n  recoveryPeriod: soon\n");

        assertThat(DetectConfig.loadOrDefault(good).rules()).hasSize(1);
        assertThat(DetectConfig.loadOrDefault(null)).isEqualTo(DetectConfig.defaults());
        assertThatThrownBy(() -> DetectConfig.load(bad))
                .hasMessageStartingWith(bad + " line 2: incident.recoveryPeriod: cannot read 'soon'");
        assertThatThrownBy(() -> DetectConfig.load(dir.resolve("missing.yaml")))
                .isInstanceOf(DetectConfigException.class)
                .hasMessageContaining("missing.yaml");
    }

    @Test
    void config_isJavaSerializable_forFlinkFunctions() throws Exception {
        DetectConfig config = DetectConfig.defaults();
        var bytes = new java.io.ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(config);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(config);
        }
    }

    @Test
    void templates_resolveReferencesAndReportMissingOnes() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        assertThat(ParameterTemplates.resolve("${attr.log.dir}/archive-${resource.id}",
                r -> r.equals("attr.log.dir") ? java.util.Optional.of("/var/log/app")
                        : java.util.Optional.of("p1"), missing)).contains("/var/log/app/archive-p1");
        assertThat(ParameterTemplates.resolve("${attr.nope}", r -> java.util.Optional.empty(), missing)).isEmpty();
        assertThat(missing).containsExactly("${attr.nope}");
        assertThatThrownBy(() -> ParameterTemplates.validate("${attr.a"))
                .hasMessageContaining("unterminated");
    }
}
