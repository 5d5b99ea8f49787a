package io.autonomic.models.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedHistoryTest {

    @Test
    void generate_withTheShippedSeed_reproducesTheShippedFileByteForByte() throws IOException {
        String shipped;
        try (InputStream in = SeedHistory.class.getResourceAsStream(SeedHistory.RESOURCE)) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(SeedHistory.format(SeedHistory.generate(SeedHistory.SEED, SeedHistory.PER_FAMILY)))
                .isEqualTo(shipped);
    }

    @Test
    void generate_sameSeedSameHistory_otherSeedOtherHistory() {
        assertThat(SeedHistory.generate(7, 5)).isEqualTo(SeedHistory.generate(7, 5));
        assertThat(SeedHistory.generate(8, 5)).isNotEqualTo(SeedHistory.generate(7, 5));
    }

    @Test
    void shipped_holdsEveryFamilyWithItsTypeAndFixes() {
        List<PastIncident> history = SeedHistory.shipped();

        assertThat(history).hasSize(SeedFamilies.ALL.size() * SeedHistory.PER_FAMILY);
        Map<String, Long> perFamily = history.stream()
                .collect(Collectors.groupingBy(PastIncident::family, Collectors.counting()));
        assertThat(perFamily).hasSize(SeedFamilies.ALL.size())
                .allSatisfy((family, count) -> assertThat(count).isEqualTo(SeedHistory.PER_FAMILY));
        Map<String, SeedFamily> families = SeedFamilies.ALL.stream()
                .collect(Collectors.toMap(SeedFamily::name, Function.identity()));
        for (PastIncident incident : history) {
            SeedFamily family = families.get(incident.family());
            assertThat(incident.incidentType()).isEqualTo(family.incidentType());
            assertThat(family.placements()).anySatisfy(p -> {
                assertThat(p.kind().name()).isEqualTo(incident.resourceKind());
                assertThat(p.playbook()).isEqualTo(incident.playbook());
            });
            assertThat(incident.signature()).isSorted().isNotEmpty();
            assertThat(incident.outcome()).isEqualTo(incident.playbook().isEmpty() ? PastIncident.NO_ACTION
                    : incident.outcome());
        }
        // the noise the generator promises: fixes that failed, incidents without topology context
        assertThat(history).anyMatch(i -> i.outcome().equals(PastIncident.ESCALATED));
        assertThat(history).anyMatch(i -> i.signature().contains("layer:UNKNOWN"));
    }

    @Test
    void writeAndRead_roundTrip(@TempDir Path dir) throws IOException {
        List<PastIncident> history = SeedHistory.generate(3, 2);
        Path file = dir.resolve("history/incidents.jsonl");

        SeedHistory.write(file, history);

        assertThat(SeedHistory.read(file)).isEqualTo(history);
    }

    @Test
    void parse_badLine_failsNamingSourceAndLine() {
        String text = "# comment\n"
                + "{\"id\":\"a\",\"incidentType\":\"http-5xx\",\"signature\":[\"signal:x\"]}\n"
                + "{not json\n";

        assertThatThrownBy(() -> SeedHistory.parse(text, "mine.jsonl"))
                .hasMessageStartingWith("mine.jsonl:3: not a past incident");
        assertThatThrownBy(() -> SeedHistory.parse("{\"id\":\"b\",\"incidentType\":\"x\",\"signature\":[]}",
                "mine.jsonl")).hasMessageContaining("mine.jsonl:1").hasMessageContaining("empty signature");
    }
}
