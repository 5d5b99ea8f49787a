package io.autonomic.enrich.threat;

import io.autonomic.schemas.avro.ThreatContext;
import io.autonomic.schemas.avro.ThreatIndicator;
import io.autonomic.schemas.avro.ThreatIndicatorKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An immutable snapshot of the threat intelligence, answering "what is known about this source?" in one trie walk:
 *
 * <ul>
 *   <li>{@code IP_REPUTATION} and {@code BLOCKED_CIDR}: every containing network counts; the context carries the
 *       worst (highest) reputation and the names of the block lists that list the address</li>
 *   <li>{@code GEO_ASN}: the most specific (longest prefix) containing network gives country, ASN and organisation</li>
 *   <li>{@code BAD_USER_AGENT}: case-insensitive substrings of the User-Agent; an empty User-Agent is non-standard
 *       (real browsers and SDKs always send one)</li>
 * </ul>
 *
 * Entries whose {@code expiresAtMillis} has passed are ignored at lookup. Build with {@link #builder()}; an
 * indicator that cannot be used fails {@link Builder#add} with a message saying why, so callers can report it with
 * its origin (file line, topic offset).
 */
public final class ThreatIntel {

    private static final ThreatIntel EMPTY = builder().build();

    private final CidrTrie<ThreatIndicator> networks;
    private final List<ThreatIndicator> userAgentPatterns;
    private final List<String> lowerCasePatterns;

    private ThreatIntel(Builder builder) {
        this.networks = builder.networks;
        this.userAgentPatterns = List.copyOf(builder.userAgentPatterns);
        this.lowerCasePatterns = userAgentPatterns.stream()
                .map(indicator -> indicator.getUserAgentPattern().toLowerCase(Locale.ROOT))
                .toList();
    }

    public static ThreatIntel empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds from indicators that are known to be valid (e.g. read back from state that only holds valid ones). */
    public static ThreatIntel of(Collection<ThreatIndicator> indicators) {
        Builder builder = builder();
        indicators.forEach(builder::add);
        return builder.build();
    }

    /** Number of indicators held. */
    public int size() {
        return networks.size() + userAgentPatterns.size();
    }

    /**
     * The context for a source, or null when neither an address nor a user agent is given. An address that is not
     * numeric is kept in {@code sourceAddress} but matches no network.
     *
     * @param userAgentOrNull the User-Agent as sent; null when the signal carries none (not a request signal)
     * @param nowMillis entries expired before this instant are ignored
     */
    public ThreatContext lookup(String addressOrNull, String userAgentOrNull, long nowMillis) {
        if (addressOrNull == null && userAgentOrNull == null) {
            return null;
        }
        ThreatContext.Builder context = ThreatContext.newBuilder()
                .setSourceAddress(addressOrNull)
                .setUserAgent(userAgentOrNull)
                .setReputation(0.0)
                .setListedIn(new ArrayList<>())
                .setBadUserAgent(userAgentOrNull != null && isBadUserAgent(userAgentOrNull, nowMillis));
        byte[] address = Cidr.parseAddress(addressOrNull);
        if (address == null) {
            return context.build();
        }
        double reputation = 0.0;
        TreeSet<String> lists = new TreeSet<>();
        ThreatIndicator geo = null;
        for (ThreatIndicator indicator : networks.matches(address)) {
            if (expired(indicator, nowMillis)) {
                continue;
            }
            switch (indicator.getKind()) {
                case GEO_ASN -> geo = indicator; // matches come shortest prefix first: the last one is the longest
                case BLOCKED_CIDR -> {
                    lists.add(indicator.getListName());
                    reputation = Math.max(reputation, indicator.getReputation());
                }
                default -> reputation = Math.max(reputation, indicator.getReputation());
            }
        }
        context.setReputation(reputation).setListedIn(new ArrayList<>(lists));
        if (geo != null) {
            context.setSourceNetwork(geo.getCidr())
                    .setCountry(geo.getCountry())
                    .setAsn(geo.getAsn())
                    .setAsnOrg(geo.getAsnOrg());
        }
        return context.build();
    }

    /** True for an empty or blank User-Agent, or one containing a known-bad pattern (case-insensitive). */
    public boolean isBadUserAgent(String userAgent, long nowMillis) {
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        String lower = userAgent.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lowerCasePatterns.size(); i++) {
            if (lower.contains(lowerCasePatterns.get(i)) && !expired(userAgentPatterns.get(i), nowMillis)) {
                return true;
            }
        }
        return false;
    }

    private static boolean expired(ThreatIndicator indicator, long nowMillis) {
        Long expires = indicator.getExpiresAtMillis();
        return expires != null && expires <= nowMillis;
    }

    /** Collects indicators; not thread-safe; {@link #build()} once. */
    public static final class Builder {

        private final CidrTrie<ThreatIndicator> networks = new CidrTrie<>();
        private final List<ThreatIndicator> userAgentPatterns = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds one indicator.
         *
         * @throws IllegalArgumentException when it cannot be used (see {@link ThreatIndicators#validate})
         */
        public Builder add(ThreatIndicator indicator) {
            Objects.requireNonNull(indicator, "indicator");
            ThreatIndicators.validate(indicator);
            if (indicator.getKind() == ThreatIndicatorKind.BAD_USER_AGENT) {
                userAgentPatterns.add(indicator);
            } else {
                networks.put(Cidr.parse(indicator.getCidr()), indicator);
            }
            return this;
        }

        public ThreatIntel build() {
            return new ThreatIntel(this);
        }
    }
}
