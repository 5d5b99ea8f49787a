package io.autonomic.enrich;

import static io.autonomic.enrich.EnrichTestData.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.avro.TopologyEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyContextsTest {

    @Test
    void forService_withoutEntry_isNotFoundWithDefaults() {
        TopologyContext context = TopologyContexts.forService(null, "checkout");

        assertThat(context.getFound()).isFalse();
        assertThat(context.getService()).isEqualTo("checkout");
        assertThat(context.getLayer()).isEqualTo(Layer.UNKNOWN);
        assertThat(context.getOwner()).isNull();
        assertThat(context.getDependencies()).isEmpty();
        assertThat(context.getTags()).isEmpty();
        assertThat(context.getAutoRemediate()).isTrue();
    }

    @Test
    void forService_withEntry_copiesEveryField() {
        TopologyEntry entry = TopologyEntry.newBuilder(entry("checkout", Layer.APPLICATION, "team-payments",
                List.of("inventory"), Map.of("tier", "gold")))
                .setCriticality("high")
                .setEnvironment("prod")
                .build();

        TopologyContext context = TopologyContexts.forService(entry, "checkout");

        assertThat(context.getFound()).isTrue();
        assertThat(context.getService()).isEqualTo("checkout");
        assertThat(context.getLayer()).isEqualTo(Layer.APPLICATION);
        assertThat(context.getOwner()).isEqualTo("team-payments");
        assertThat(context.getCriticality()).isEqualTo("high");
        assertThat(context.getEnvironment()).isEqualTo("prod");
        assertThat(context.getDependencies()).containsExactly("inventory");
        assertThat(context.getTags()).containsExactlyEntriesOf(Map.of("tier", "gold"));
        assertThat(context.getAutoRemediate()).isTrue();
    }

    @Test
    void forService_copiesCollections_soTheEntryCannotBeChangedThroughTheContext() {
        TopologyEntry entry = entry("checkout", Layer.APPLICATION, null, List.of("inventory"), Map.of("tier", "gold"));

        TopologyContext context = TopologyContexts.forService(entry, "checkout");
        context.getDependencies().add("other");
        context.getTags().put("AutoRemediate", "false");

        assertThat(entry.getDependencies()).containsExactly("inventory");
        assertThat(entry.getTags()).containsOnlyKeys("tier");
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "no", "No", "0", "off", " Off "})
    void autoRemediate_falseWords_disableRemediation(String value) {
        assertThat(TopologyContexts.autoRemediate(Map.of("AutoRemediate", value))).isFalse();
        assertThat(TopologyContexts.autoRemediate(Map.of("autoremediate", value))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "yes", "1", "on", "maybe", ""})
    void autoRemediate_otherValues_allowRemediation(String value) {
        assertThat(TopologyContexts.autoRemediate(Map.of("AutoRemediate", value))).isTrue();
    }

    @Test
    void autoRemediate_conflictingSpellings_refusalWins() {
        assertThat(TopologyContexts.autoRemediate(Map.of("AutoRemediate", "true", "AUTOREMEDIATE", "false")))
                .isFalse();
    }

    @Test
    void autoRemediate_otherTagSayingFalse_isIgnored() {
        assertThat(TopologyContexts.autoRemediate(Map.of("paging", "false"))).isTrue();
    }

    @Test
    void forService_observedCallees_sortedAndDeduplicatedWithoutMakingTheServiceDeclared() {
        TopologyContext context = TopologyContexts.forService(null, "checkout",
                java.util.List.of("payments", "inventory", "payments"));

        assertThat(context.getObservedDependencies()).containsExactly("inventory", "payments");
        assertThat(context.getDependencies()).isEmpty();
        assertThat(context.getFound()).isFalse();
    }
}
