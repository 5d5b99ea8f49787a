package io.autonomic.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.TopologyEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyFileTest {

    private static final String VALID = """
            # topology.yaml
            services:
              checkout:
                layer: application        # infrastructure | platform | application | data | network
                owner: team-payments
                criticality: high
                environment: prod
                dependsOn: [inventory, orders-db]
                tags:
                  AutoRemediate: "false"
              orders-db:
                layer: data
            """;

    @Test
    void parse_maintenanceTag_isNormalizedToUtcSortedWindows() {
        TopologyFile file = TopologyFile.parse("t.yaml", """
                services:
                  orders-db:
                    tags:
                      Maintenance: "2026-12-02T03:00+01:00/PT30M, 2026-12-01T02:00Z/PT2H"
                """);

        assertThat(file.entries().get(0).getTags())
                .containsExactly(entry("maintenance", "2026-12-01T02:00:00Z/PT2H,2026-12-02T02:00:00Z/PT30M"));
    }

    @Test
    void parse_unreadableMaintenanceTag_failsNamingTheLine() {
        assertThatThrownBy(() -> TopologyFile.parse("t.yaml", """
                services:
                  orders-db:
                    tags:
                      maintenance: "tonight"
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("t.yaml:4:")
                .hasMessageContaining("START/DURATION");
        assertThatThrownBy(() -> TopologyFile.parse("t.yaml", """
                services:
                  orders-db:
                    tags:
                      maintenance: "2026-12-01T02:00Z/PT0S"
                """))
                .hasMessageContaining("positive");
    }

    @Test
    void parse_validFile_readsEveryFieldSortedByService() {
        TopologyFile file = TopologyFile.parse("topology.yaml", VALID);

        assertThat(file.entries()).extracting(TopologyEntry::getService).containsExactly("checkout", "orders-db");
        TopologyEntry checkout = file.entries().get(0);
        assertThat(checkout.getLayer()).isEqualTo(Layer.APPLICATION);
        assertThat(checkout.getOwner()).isEqualTo("team-payments");
        assertThat(checkout.getCriticality()).isEqualTo("high");
        assertThat(checkout.getEnvironment()).isEqualTo("prod");
        assertThat(checkout.getDependencies()).containsExactly("inventory", "orders-db");
        assertThat(checkout.getTags()).containsExactlyEntriesOf(Map.of("AutoRemediate", "false"));

        TopologyEntry ordersDb = file.entry("orders-db").orElseThrow();
        assertThat(ordersDb.getLayer()).isEqualTo(Layer.DATA);
        assertThat(ordersDb.getOwner()).isNull();
        assertThat(ordersDb.getDependencies()).isEmpty();
        assertThat(ordersDb.getTags()).isEmpty();
        assertThat(file.source()).isEqualTo("topology.yaml");
    }

    @Test
    void parse_dependencyOnUndeclaredService_isAWarningWithItsPosition() {
        TopologyFile file = TopologyFile.parse("topology.yaml", VALID);

        assertThat(file.warnings()).containsExactly(
                "topology.yaml:8:17: service 'checkout' depends on 'inventory', which this file does not declare");
    }

    @Test
    void parse_serviceWithoutFields_getsDefaults() {
        TopologyFile file = TopologyFile.parse("t.yaml", """
                services:
                  edge-proxy:
                """);

        TopologyEntry entry = file.entries().get(0);
        assertThat(entry.getService()).isEqualTo("edge-proxy");
        assertThat(entry.getLayer()).isEqualTo(Layer.UNKNOWN);
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void parse_layerInAnyCase_isAccepted() {
        TopologyFile file = TopologyFile.parse("t.yaml", """
                services:
                  lb:
                    layer: Network
                """);

        assertThat(file.entries().get(0).getLayer()).isEqualTo(Layer.NETWORK);
    }

    @Test
    void parse_nonStringScalars_areKeptAsWritten() {
        TopologyFile file = TopologyFile.parse("t.yaml", """
                services:
                  checkout:
                    environment: 2024
                    tags:
                      AutoRemediate: no
                      replicas: 3
                      ratio: 0.50
                      paging: true
                """);

        assertThat(file.entries().get(0).getEnvironment()).isEqualTo("2024");
        assertThat(file.entries().get(0).getTags()).containsExactly(entry("AutoRemediate", "no"),
                entry("replicas", "3"), entry("ratio", "0.50"), entry("paging", "true"));
    }

    @Test
    void parse_autoRemediateTag_flowsIntoTheContext() {
        TopologyFile file = TopologyFile.parse("t.yaml", """
                services:
                  checkout:
                    tags:
                      autoremediate: Off
                  orders:
                    tags:
                      AutoRemediate: yes
                """);

        assertThat(TopologyContexts.forService(file.entry("checkout").orElseThrow(), "checkout").getAutoRemediate())
                .isFalse();
        assertThat(TopologyContexts.forService(file.entry("orders").orElseThrow(), "orders").getAutoRemediate())
                .isTrue();
    }

    @Test
    void parse_unknownField_namesLineColumnAndKnownFields() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                # topology.yaml
                services:
                  checkout:
                    layer: application
                    ownr: team-payments
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:5:5: unknown field 'ownr' in service 'checkout' "
                        + "(known: layer, owner, criticality, environment, dependsOn, tags)")
                .satisfies(e -> {
                    TopologyException error = (TopologyException) e;
                    assertThat(error.source()).isEqualTo("topology.yaml");
                    assertThat(error.line()).isEqualTo(5);
                    assertThat(error.column()).isEqualTo(5);
                    assertThat(error.reason()).startsWith("unknown field 'ownr'");
                });
    }

    @Test
    void parse_unknownLayer_listsAllowedLayers() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    layer: app
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:3:12: unknown layer 'app' in service 'checkout' "
                        + "(allowed: infrastructure, platform, application, data, network)");
    }

    @Test
    void parse_emptyFile_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", ""))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:1:1: the file is empty; expected a top-level 'services:' mapping");
    }

    @Test
    void parse_onlyComments_failsAsEmpty() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", "# nothing yet\n\n"))
                .isInstanceOf(TopologyException.class)
                .hasMessageContaining("the file is empty");
    }

    @Test
    void parse_servicesWithoutEntries_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", "services:\n"))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:1:10: 'services' declares no services");
    }

    @Test
    void parse_servicesEmptyMapping_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", "services: {}\n"))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:1:11: 'services' declares no services");
    }

    @Test
    void parse_duplicateService_namesTheKeyAndLine() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    layer: application
                  orders-db:
                    layer: data
                  checkout:
                    layer: data
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:6:")
                .hasMessageContaining("duplicate key 'checkout' in 'services'");
    }

    @Test
    void parse_duplicateField_namesTheService() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    owner: a
                    owner: b
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:4:")
                .hasMessageContaining("duplicate key 'owner' in service 'checkout'");
    }

    @Test
    void parse_malformedYaml_reportsTheParsersPosition() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    dependsOn: [inventory, orders-db
                    owner: x
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:4:")
                .hasMessageContaining("malformed YAML")
                .hasMessageContaining("flow sequence");
    }

    @Test
    void parse_tabIndentation_isMalformed() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", "services:\n\tcheckout: {}\n"))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:2:1: malformed YAML")
                .hasMessageContaining("TAB");
    }

    @Test
    void parse_unknownTopLevelKey_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout: {}
                servces:
                  orders: {}
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:3:1: unknown top-level key 'servces' (known: services)");
    }

    @Test
    void parse_servicesAsList_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  - checkout
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:2:3: 'services' must be a mapping");
    }

    @Test
    void parse_dependsOnScalar_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    dependsOn: inventory
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:3:16: dependsOn in service 'checkout' must be a list such as "
                        + "[inventory, orders-db], found 'inventory'");
    }

    @Test
    void parse_selfDependency_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    dependsOn:
                      - orders
                      - checkout
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:5:9: service 'checkout' depends on itself");
    }

    @Test
    void parse_repeatedDependency_isAWarningAndListedOnce() {
        TopologyFile file = TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    dependsOn: [orders, orders]
                  orders: {}
                """);

        assertThat(file.entry("checkout").orElseThrow().getDependencies()).containsExactly("orders");
        assertThat(file.warnings()).containsExactly(
                "topology.yaml:3:25: service 'checkout' lists dependency 'orders' more than once");
    }

    @Test
    void parse_unreadableAutoRemediateValue_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    tags:
                      AutoRemediate: flase
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:4:22: tag 'AutoRemediate' in service 'checkout' has value 'flase' "
                        + "(allowed: true, false, yes, no, on, off, 1, 0)");
    }

    @Test
    void parse_tagWithoutValue_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    tags:
                      team:
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:")
                .hasMessageContaining("tag 'team' in service 'checkout' has no value");
    }

    @Test
    void parse_nestedTagValue_fails() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout:
                    tags:
                      team: [a, b]
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessage("topology.yaml:4:13: tag 'team' in service 'checkout' must be a single value, found a list");
    }

    @Test
    void parse_alias_isRejected() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout: &app
                    layer: application
                  orders: *app
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:4:11: YAML aliases (*app) are not supported");
    }

    @Test
    void parse_secondDocument_isRejected() {
        assertThatThrownBy(() -> TopologyFile.parse("topology.yaml", """
                services:
                  checkout: {}
                ---
                services:
                  orders: {}
                """))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("topology.yaml:4:1: a second YAML document is not supported");
    }

    @Test
    void parse_withoutName_prefixesOnlyThePosition() {
        assertThatThrownBy(() -> TopologyFile.parse(null, "services:\n  checkout:\n    ownr: x\n"))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith("3:5: unknown field 'ownr'");
    }

    @Test
    void parse_path_namesTheFileInMessages(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("topology.yaml");
        Files.writeString(path, "services:\n  checkout:\n    layer: app\n");

        assertThatThrownBy(() -> TopologyFile.parse(path))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith(path + ":3:12: unknown layer 'app'");
    }

    @Test
    void parse_pathOfValidFile_readsIt(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("topology.yaml");
        Files.writeString(path, VALID);

        TopologyFile file = TopologyFile.parse(path);

        assertThat(file.entries()).hasSize(2);
        assertThat(file.source()).isEqualTo(path.toString());
        assertThat(file.warnings()).singleElement().asString().startsWith(path + ":8:17:");
    }

    @Test
    void parse_missingFile_namesIt(@TempDir Path dir) {
        Path path = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> TopologyFile.parse(path))
                .isInstanceOf(TopologyException.class)
                .hasMessageStartingWith(path + ": cannot read the topology file");
    }

    @Test
    void entries_areUnmodifiable() {
        List<TopologyEntry> entries = TopologyFile.parse("t.yaml", VALID).entries();

        assertThatThrownBy(() -> entries.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }
}
