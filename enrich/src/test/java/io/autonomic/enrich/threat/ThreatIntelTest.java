package io.autonomic.enrich.threat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autonomic.schemas.avro.ThreatContext;
import io.autonomic.schemas.avro.ThreatIndicator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreatIntelTest {

    private static final long NOW = 1_750_000_000_000L;

    private static final ThreatIntel INTEL = ThreatIntel.builder()
            .add(ThreatIndicators.geo(Cidr.parse("203.0.0.0/8"), "US", "AS64500", "Big Transit", "geo.csv"))
            .add(ThreatIndicators.geo(Cidr.parse("203.0.113.0/24"), "NL", "AS64501", "Bullet Hosting", "geo.csv"))
            .add(ThreatIndicators.blocked(Cidr.parse("203.0.113.0/24"), "botnet-a", 0.9, "block.csv"))
            .add(ThreatIndicators.blocked(Cidr.parse("203.0.112.0/23"), "scanners", 0.5, "block.csv"))
            .add(ThreatIndicators.reputation(Cidr.parse("198.51.100.7"), "feed", 0.4, "rep.csv"))
            .add(ThreatIndicators.geo(Cidr.parse("2001:db8::/32"), "DE", "AS64502", "Example v6", "geo.csv"))
            .add(ThreatIndicators.blocked(Cidr.parse("2001:db8:bad::/48"), "botnet-a", 1.0, "block.csv"))
            .add(ThreatIndicators.badUserAgent("SQLMap", "ua.csv"))
            .add(ThreatIndicators.badUserAgent("python-requests", "ua.csv"))
            .build();

    @Test
    void lookup_listedAddress_hasWorstReputationAllListsAndLongestGeoPrefix() {
        ThreatContext context = INTEL.lookup("203.0.113.9", "Mozilla/5.0", NOW);

        assertThat(context.getSourceAddress()).isEqualTo("203.0.113.9");
        assertThat(context.getReputation()).isEqualTo(0.9);
        assertThat(context.getListedIn()).containsExactly("botnet-a", "scanners");
        assertThat(context.getSourceNetwork()).isEqualTo("203.0.113.0/24");
        assertThat(context.getCountry()).isEqualTo("NL");
        assertThat(context.getAsn()).isEqualTo("AS64501");
        assertThat(context.getAsnOrg()).isEqualTo("Bullet Hosting");
        assertThat(context.getBadUserAgent()).isFalse();
    }

    @Test
    void lookup_cleanAddress_getsGeoOnly() {
        ThreatContext context = INTEL.lookup("203.9.9.9", null, NOW);

        assertThat(context.getReputation()).isZero();
        assertThat(context.getListedIn()).isEmpty();
        assertThat(context.getCountry()).isEqualTo("US");
        assertThat(context.getSourceNetwork()).isEqualTo("203.0.0.0/8");
        assertThat(context.getUserAgent()).isNull();
        assertThat(context.getBadUserAgent()).isFalse();
    }

    @Test
    void lookup_ipv6_matchesIpv6TablesOnly() {
        ThreatContext listed = INTEL.lookup("2001:db8:bad:1::42", null, NOW);
        ThreatContext clean = INTEL.lookup("[2001:db8:1::1]", null, NOW);

        assertThat(listed.getListedIn()).containsExactly("botnet-a");
        assertThat(listed.getReputation()).isEqualTo(1.0);
        assertThat(listed.getCountry()).isEqualTo("DE");
        assertThat(clean.getListedIn()).isEmpty();
        assertThat(clean.getAsn()).isEqualTo("AS64502");
    }

    @Test
    void lookup_reputationEntry_scoresWithoutListing() {
        ThreatContext context = INTEL.lookup("198.51.100.7", null, NOW);

        assertThat(context.getReputation()).isEqualTo(0.4);
        assertThat(context.getListedIn()).isEmpty();
        assertThat(INTEL.lookup("198.51.100.8", null, NOW).getReputation()).isZero();
    }

    @Test
    void lookup_userAgents_caseInsensitiveSubstringsAndEmptyIsBad() {
        assertThat(INTEL.lookup(null, "sqlmap/1.7#stable (https://sqlmap.org)", NOW).getBadUserAgent()).isTrue();
        assertThat(INTEL.lookup(null, "Python-Requests/2.31", NOW).getBadUserAgent()).isTrue();
        assertThat(INTEL.lookup(null, "", NOW).getBadUserAgent()).isTrue();
        assertThat(INTEL.lookup(null, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", NOW).getBadUserAgent())
                .isFalse();
    }

    @Test
    void lookup_nothingNamed_isNull_andHostNamesMatchNothing() {
        assertThat(INTEL.lookup(null, null, NOW)).isNull();
        ThreatContext named = INTEL.lookup("evil.example.com", null, NOW);
        assertThat(named.getSourceAddress()).isEqualTo("evil.example.com");
        assertThat(named.getCountry()).isNull();
        assertThat(named.getReputation()).isZero();
    }

    @Test
    void lookup_expiredEntries_areIgnored() {
        ThreatIndicator expiring = ThreatIndicator.newBuilder(
                        ThreatIndicators.blocked(Cidr.parse("192.0.2.0/24"), "temp", 1.0, "feed"))
                .setExpiresAtMillis(NOW).build();
        ThreatIntel intel = ThreatIntel.of(List.of(expiring));

        assertThat(intel.lookup("192.0.2.1", null, NOW - 1).getListedIn()).containsExactly("temp");
        assertThat(intel.lookup("192.0.2.1", null, NOW).getListedIn()).isEmpty();
    }

    @Test
    void builder_rejectsUnusableIndicators() {
        assertThatThrownBy(() -> ThreatIntel.builder().add(ThreatIndicator.newBuilder()
                .setKey("cidr:x:bad").setKind(io.autonomic.schemas.avro.ThreatIndicatorKind.BLOCKED_CIDR)
                .setCidr("300.1.1.1/24").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300.1.1.1/24");
        assertThatThrownBy(() -> ThreatIntel.builder().add(ThreatIndicator.newBuilder()
                .setKey("ua:").setKind(io.autonomic.schemas.avro.ThreatIndicatorKind.BAD_USER_AGENT).build()))
                .hasMessageContaining("userAgentPattern");
    }

    @Test
    void cidr_parsesAndCanonicalizes() {
        assertThat(Cidr.parse("203.0.113.77/24")).hasToString("203.0.113.0/24");
        assertThat(Cidr.parse("10.1.2.3")).hasToString("10.1.2.3/32");
        assertThat(Cidr.parse("2001:DB8:0:0:1::/64")).hasToString("2001:db8::/64");
        assertThat(Cidr.parse("::ffff:192.0.2.1")).hasToString("::ffff:c000:201/128");
        assertThat(Cidr.parse("::/0").contains(Cidr.parseAddress("2001:db8::1"))).isTrue();
        assertThat(Cidr.parseAddress("1.2.3")).isNull();
        assertThat(Cidr.parseAddress("1:2:3:4:5:6:7:8:9")).isNull();
        assertThat(Cidr.parseAddress("1::2::3")).isNull();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
    }
}
