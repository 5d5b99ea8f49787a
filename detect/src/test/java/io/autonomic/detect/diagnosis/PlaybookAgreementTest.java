package io.autonomic.detect.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.config.Playbook;
import io.autonomic.detect.incident.PlaybookCatalog;
import io.autonomic.models.diagnosis.SeedFamilies;
import io.autonomic.models.diagnosis.SeedFamily;
import io.autonomic.schemas.avro.ExecutionMode;
import io.autonomic.schemas.avro.ResourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Detect's shipped playbooks, the worker's and the seed history's fixes name the same things. */
class PlaybookAgreementTest {

    private final List<Playbook> detect = DetectConfig.defaults().playbooks();
    private final Map<String, ActPlaybooks.ActPlaybook> worker = ActPlaybooks.shipped();

    @Test
    void everyDetectPlaybook_hasTheWorkerPlaybookOfItsName_triggeredByItsTypeAndKind_declaringItsAction() {
        assertThat(detect).hasSizeGreaterThanOrEqualTo(15);
        for (Playbook playbook : detect) {
            ActPlaybooks.ActPlaybook act = worker.get(playbook.name());
            assertThat(act).as("worker playbook " + playbook.name()).isNotNull();
            assertThat(act.incidentType()).as(playbook.name()).isEqualTo(playbook.incidentType());
            if (act.resourceKind() != null) {
                assertThat(playbook.resourceKind()).as(playbook.name() + " kind")
                        .isEqualTo(ResourceKind.valueOf(act.resourceKind()));
            }
            assertThat(act.actions()).as(playbook.name()).contains(playbook.action());
        }
    }

    @Test
    void everySeedFix_isAShippedDetectPlaybookForThatTypeAndKind() {
        PlaybookCatalog catalog = new PlaybookCatalog(detect);
        for (SeedFamily family : SeedFamilies.ALL) {
            for (SeedFamily.Placement placement : family.placements()) {
                if (placement.playbook().isEmpty()) {
                    assertThat(catalog.forIncident(family.incidentType(), placement.kind()))
                            .as(family.name() + " on " + placement.kind() + " goes to humans").isEmpty();
                } else {
                    assertThat(catalog.forIncident(family.incidentType(), placement.kind()).map(Playbook::name))
                            .as(family.name() + " on " + placement.kind()).contains(placement.playbook());
                }
            }
        }
    }

    @Test
    void forIncident_aPlaybookForTheKind_beatsOneForAnyKind_whateverTheOrder() {
        Playbook anyKind = playbook("page", null);
        Playbook forEcs = playbook("redeploy", ResourceKind.ECS_SERVICE);
        PlaybookCatalog catalog = new PlaybookCatalog(List.of(anyKind, forEcs));

        assertThat(catalog.forIncident("http-5xx", ResourceKind.ECS_SERVICE)).contains(forEcs);
        assertThat(catalog.forIncident("http-5xx", ResourceKind.K8S_POD)).contains(anyKind);
        assertThat(new PlaybookCatalog(List.of(forEcs)).forIncident("http-5xx", ResourceKind.K8S_POD)).isEmpty();
    }

    private static Playbook playbook(String name, ResourceKind kind) {
        return new Playbook(name, "http-5xx", "notify.slack", ExecutionMode.EXECUTE, Duration.ofMinutes(1),
                Duration.ofMinutes(5), Map.of(), kind);
    }
}
