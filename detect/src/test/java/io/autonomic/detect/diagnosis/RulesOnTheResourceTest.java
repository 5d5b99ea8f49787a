package io.autonomic.detect.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.DetectConfigException;
import io.autonomic.detect.incident.RulesDiagnoser;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.ResourceKind;
import org.junit.jupiter.api.Test;

/** The rules diagnoser on a correlated incident, and the playbook resourceKind field. */
class RulesOnTheResourceTest {

    @Test
    void rulesDiagnoser_rulesOnTheDiagnosedResource_outvoteMoreRulesOnItsCallers() {
        TestEvidence database = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:db-host/orders-db", "orders-db",
                Layer.DATA).rule("db-io-errors", 0.3);
        for (String caller : new String[] {"checkout", "payments", "shipping"}) {
            database.with(TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/" + caller, caller,
                    Layer.APPLICATION).rule("high-error-ratio", 0.5));
        }

        Diagnosis diagnosis = new RulesDiagnoser().diagnose(database.resource(), database.anomalies());

        assertThat(diagnosis.getIncidentType()).isEqualTo("db-degradation");
        assertThat(diagnosis.getSummary()).doesNotContain("http-5xx");
    }

    @Test
    void rulesDiagnoser_noRuleOnTheResource_fallsBackToTheOthersRules() {
        TestEvidence caller = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:host-1/checkout", "checkout",
                Layer.APPLICATION).rule("high-error-ratio", 0.5);
        TestEvidence database = TestEvidence.on(ResourceKind.HOST_PROCESS, "process:db-host/orders-db", "orders-db",
                Layer.DATA).learned("db.server.query.duration.p99", 3).with(caller);

        assertThat(new RulesDiagnoser().diagnose(database.resource(), database.anomalies()).getIncidentType())
                .isEqualTo("http-5xx");
    }

    @Test
    void detectConfig_playbookResourceKind_isReadAndBadKindsNameTheLine() {
        DetectConfig config = DetectConfig.parse("""
                playbooks:
                  - name: redeploy
                    incidentType: http-5xx
                    resourceKind: ecs-service
                    action: aws.ecs.force-new-deployment
                """, "kinds.yaml");

        assertThat(config.playbooks().get(0).resourceKind()).isEqualTo(ResourceKind.ECS_SERVICE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DetectConfig.parse("""
                playbooks:
                  - name: redeploy
                    incidentType: http-5xx
                    resourceKind: mainframe
                    action: aws.ecs.force-new-deployment
                """, "kinds.yaml")).isInstanceOf(DetectConfigException.class)
                .hasMessageStartingWith("kinds.yaml line 4: playbooks[0].resourceKind: cannot read 'mainframe'");
    }
}
