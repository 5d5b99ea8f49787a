package io.autonomic.enrich.threat;

import io.autonomic.schemas.avro.ThreatIndicator;
import io.autonomic.schemas.avro.ThreatIndicatorKind;
import java.util.Locale;

/** Keys, factories and validation of {@link ThreatIndicator}s, shared by the file reader, the publisher and enrich. */
public final class ThreatIndicators {

    private ThreatIndicators() {
    }

    /**
     * Checks that an indicator can be used: a known kind; a parsable CIDR in canonical form for network kinds; a
     * non-blank pattern for user agents; reputation in [0,1]; a key.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validate(ThreatIndicator indicator) {
        if (indicator.getKey() == null || indicator.getKey().isBlank()) {
            throw new IllegalArgumentException("indicator has no key");
        }
        double reputation = indicator.getReputation();
        if (!(reputation >= 0.0 && reputation <= 1.0)) {
            throw new IllegalArgumentException("reputation " + reputation + " is outside 0..1");
        }
        ThreatIndicatorKind kind = indicator.getKind();
        if (kind == null || kind == ThreatIndicatorKind.UNKNOWN) {
            throw new IllegalArgumentException("unknown indicator kind " + kind);
        }
        if (kind == ThreatIndicatorKind.BAD_USER_AGENT) {
            if (indicator.getUserAgentPattern() == null || indicator.getUserAgentPattern().isBlank()) {
                throw new IllegalArgumentException("BAD_USER_AGENT indicator without a userAgentPattern");
            }
            return;
        }
        if (indicator.getCidr() == null) {
            throw new IllegalArgumentException(kind + " indicator without a cidr");
        }
        Cidr.parse(indicator.getCidr());
    }

    /** {@code cidr:<list>:<cidr>}: one entry per list and network. */
    public static ThreatIndicator blocked(Cidr cidr, String listName, double reputation, String source) {
        return base("cidr:" + listName + ":" + cidr, ThreatIndicatorKind.BLOCKED_CIDR, source)
                .setCidr(cidr.toString()).setListName(listName).setReputation(reputation).build();
    }

    /** {@code rep:<list>:<cidr>}: a reputation score for a network, without block-list membership. */
    public static ThreatIndicator reputation(Cidr cidr, String listName, double reputation, String source) {
        return base("rep:" + listName + ":" + cidr, ThreatIndicatorKind.IP_REPUTATION, source)
                .setCidr(cidr.toString()).setListName(listName).setReputation(reputation).build();
    }

    /** {@code geo:<cidr>}: where a network is and who announces it. */
    public static ThreatIndicator geo(Cidr cidr, String country, String asn, String asnOrg, String source) {
        return base("geo:" + cidr, ThreatIndicatorKind.GEO_ASN, source)
                .setCidr(cidr.toString()).setCountry(country).setAsn(asn).setAsnOrg(asnOrg).build();
    }

    /** {@code ua:<pattern in lower case>}: a known-bad User-Agent substring. */
    public static ThreatIndicator badUserAgent(String pattern, String source) {
        String normalized = pattern.strip().toLowerCase(Locale.ROOT);
        return base("ua:" + normalized, ThreatIndicatorKind.BAD_USER_AGENT, source)
                .setUserAgentPattern(normalized).setReputation(1.0).build();
    }

    private static ThreatIndicator.Builder base(String key, ThreatIndicatorKind kind, String source) {
        return ThreatIndicator.newBuilder().setKey(key).setKind(kind).setSource(source == null ? "" : source);
    }
}
