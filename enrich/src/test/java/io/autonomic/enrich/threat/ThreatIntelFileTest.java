package io.autonomic.enrich.threat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.avro.ThreatIndicator;
import io.autonomic.schemas.avro.ThreatIndicatorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreatIntelFileTest {

    @Test
    void parse_blockList_withCommentsDefaultsAndCanonicalCidrs() {
        ThreatIntelFile file = ThreatIntelFile.parse("block.csv", "block", """
                # botnets seen this week
                cidr,list,reputation
                203.0.113.7/24,botnet-a,0.9   # host bits are cleared

                198.51.100.9,scanners,
                """);

        assertThat(file.format()).isEqualTo(ThreatIntelFile.Format.BLOCK_LIST);
        assertThat(file.indicators()).extracting(ThreatIndicator::getKey, ThreatIndicator::getKind,
                        ThreatIndicator::getReputation, ThreatIndicator::getSource)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cidr:botnet-a:203.0.113.0/24",
                                ThreatIndicatorKind.BLOCKED_CIDR, 0.9, "block.csv"),
                        org.assertj.core.groups.Tuple.tuple("cidr:scanners:198.51.100.9/32",
                                ThreatIndicatorKind.BLOCKED_CIDR, 1.0, "block.csv"));
    }

    @Test
    void parse_geoTable_keepsCommasInTheOrganisationAndNormalizesAsn() {
        ThreatIntelFile file = ThreatIntelFile.parse("geo.csv", "geo", """
                cidr,country,asn,asnOrg
                192.0.2.0/24,de,64500,Example Hosting, GmbH
                2001:db8::/32,NL,AS64501,
                """);

        assertThat(file.indicators()).extracting(ThreatIndicator::getKey, ThreatIndicator::getCountry,
                        ThreatIndicator::getAsn, ThreatIndicator::getAsnOrg)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("geo:192.0.2.0/24", "DE", "AS64500", "Example Hosting, GmbH"),
                        org.assertj.core.groups.Tuple.tuple("geo:2001:db8::/32", "NL", "AS64501", null));
    }

    @Test
    void parse_reputationAndUserAgents() {
        ThreatIntelFile reputation = ThreatIntelFile.parse("feed.csv", "feed", "cidr,reputation\n10.0.0.1,0.25\n");
        ThreatIntelFile agents = ThreatIntelFile.parse("ua.csv", "ua", "pattern\nSQLMap\nNikto\n");

        assertThat(reputation.indicators()).singleElement().satisfies(i -> {
            assertThat(i.getKey()).isEqualTo("rep:feed:10.0.0.1/32");
            assertThat(i.getReputation()).isEqualTo(0.25);
        });
        assertThat(agents.indicators()).extracting(ThreatIndicator::getKey).containsExactly("ua:sqlmap", "ua:nikto");
    }

    @Test
    void parse_errors_nameFileAndLine() {
        assertThatThrownBy(() -> ThreatIntelFile.parse("b.csv", "b", "cidr,list,reputation\n10.0.0.0/8,x,1\n"
                + "10.0.0.0/40,x,1\n"))
                .isInstanceOf(ThreatIntelFileException.class)
                .hasMessageStartingWith("b.csv:3:").hasMessageContaining("prefix length");
        assertThatThrownBy(() -> ThreatIntelFile.parse("b.csv", "b", "ip,what\n"))
                .hasMessageStartingWith("b.csv:1:").hasMessageContaining("unknown header");
        assertThatThrownBy(() -> ThreatIntelFile.parse("b.csv", "b", "cidr,list,reputation\n10.0.0.0/8,x,1.5\n"))
                .hasMessageStartingWith("b.csv:2:").hasMessageContaining("outside 0..1");
        assertThatThrownBy(() -> ThreatIntelFile.parse("g.csv", "g", "cidr,country,asn,asnOrg\n10.0.0.0/8,DEU,AS1\n"))
                .hasMessageStartingWith("g.csv:2:").hasMessageContaining("alpha-2");
        assertThatThrownBy(() -> ThreatIntelFile.parse("b.csv", "b", "cidr,list,reputation\n10.0.0.0/8,x\n10.0.0.1/8,x\n"))
                .hasMessageStartingWith("b.csv:3:").hasMessageContaining("duplicate");
        assertThatThrownBy(() -> ThreatIntelFile.parse("e.csv", "e", "# nothing\n"))
                .hasMessageContaining("empty");
    }

    @Test
    void parse_path_usesTheFileNameAsListOfReputationRows(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("abuse-feed.csv");
        Files.writeString(path, "cidr,reputation\n192.0.2.1,0.7\n");

        assertThat(ThreatIntelFile.parse(path).indicators()).singleElement()
                .satisfies(i -> {
                    assertThat(i.getListName()).isEqualTo("abuse-feed");
                    assertThat(i.getSource()).isEqualTo(path.toString());
                });
    }
}
