package io.autonomic.detect.threat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tells a DDoS from a flash crowd, given a window that already surged. The two look alike in the total; they differ
 * in who sends the traffic:
 *
 * <ul>
 *   <li>{@value #POSSIBLE_DDOS} when at least {@code suspiciousShare} of the requests come from suspicious sources
 *       (block-listed, bad reputation, or a non-standard user agent), or the top three networks send at least
 *       {@code concentratedShare} (a real crowd spans many networks), or one ASN or one country sends at least
 *       {@code concentratedShare} while at least {@code nonStandardAgentShare} of the user agents are non-standard
 *       (a region or hosting provider running a flood tool);</li>
 *   <li>{@value #FLASH_CROWD} otherwise: many networks and ASNs, clean reputation, browser-like user agents.</li>
 * </ul>
 *
 * The long-tail bucket ({@link SourceWindow#OTHER}) counts in the totals but never as a concentrated source: by
 * construction it is many small networks.
 */
public final class SurgeClassifier {

    public static final String POSSIBLE_DDOS = "possible-ddos";
    public static final String FLASH_CROWD = "flash-crowd";

    private final SourceSurgeSettings settings;

    public SurgeClassifier(SourceSurgeSettings settings) {
        this.settings = settings;
    }

    /** The verdict with the measures that led to it. */
    public record Verdict(String verdict, double suspiciousShare, double nonStandardAgentShare,
            double topNetworksShare, String topAsn, double topAsnShare, String topCountry, double topCountryShare,
            int networks, List<String> topSources, String why, String sourceNetwork) {

        public boolean ddos() {
            return POSSIBLE_DDOS.equals(verdict);
        }
    }

    public Verdict classify(SourceWindow window) {
        double total = window.requests;
        double suspicious = 0;
        double nonStandard = 0;
        Map<String, Double> byNetwork = new HashMap<>();
        Map<String, Double> suspiciousByNetwork = new HashMap<>();
        Map<String, Double> byAsn = new HashMap<>();
        Map<String, Double> byCountry = new HashMap<>();
        Map<String, SourceWindow.Source> describeBy = new HashMap<>();
        for (SourceWindow.Source source : window.sources) {
            boolean listed = source.listedIn != null && !source.listedIn.isEmpty();
            if (listed || source.reputation >= settings.suspiciousReputation() || source.badUserAgent) {
                suspicious += source.requests;
            }
            if (source.badUserAgent) {
                nonStandard += source.requests;
            }
            if (SourceWindow.OTHER.equals(source.network)) {
                continue;
            }
            byNetwork.merge(source.network, source.requests, Double::sum);
            if (listed || source.reputation >= settings.suspiciousReputation() || source.badUserAgent) {
                suspiciousByNetwork.merge(source.network, source.requests, Double::sum);
            }
            describeBy.putIfAbsent(source.network, source);
            if (source.asn != null) {
                byAsn.merge(source.asn, source.requests, Double::sum);
            }
            if (source.country != null) {
                byCountry.merge(source.country, source.requests, Double::sum);
            }
        }
        List<Map.Entry<String, Double>> networks = new ArrayList<>(byNetwork.entrySet());
        networks.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        double topThree = networks.stream().limit(3).mapToDouble(Map.Entry::getValue).sum();
        Map.Entry<String, Double> topAsn = top(byAsn);
        Map.Entry<String, Double> topCountry = top(byCountry);

        double suspiciousShare = share(suspicious, total);
        double nonStandardShare = share(nonStandard, total);
        double topNetworksShare = share(topThree, total);
        double topAsnShare = topAsn == null ? 0 : share(topAsn.getValue(), total);
        double topCountryShare = topCountry == null ? 0 : share(topCountry.getValue(), total);

        List<String> why = new ArrayList<>();
        if (suspiciousShare >= settings.suspiciousShare()) {
            why.add(percent(suspiciousShare) + " of requests from listed, bad-reputation or non-standard-agent sources");
        }
        if (topNetworksShare >= settings.concentratedShare()) {
            why.add(percent(topNetworksShare) + " of requests from the top " + Math.min(3, networks.size())
                    + " network(s)");
        }
        boolean nonStandardAgents = nonStandardShare >= settings.nonStandardAgentShare();
        if (nonStandardAgents && topAsnShare >= settings.concentratedShare()) {
            why.add(percent(topAsnShare) + " from " + topAsn.getKey() + " with " + percent(nonStandardShare)
                    + " non-standard user agents");
        }
        if (nonStandardAgents && topCountryShare >= settings.concentratedShare()) {
            why.add(percent(topCountryShare) + " from country " + topCountry.getKey() + " with "
                    + percent(nonStandardShare) + " non-standard user agents");
        }
        String verdict = why.isEmpty() ? FLASH_CROWD : POSSIBLE_DDOS;
        if (why.isEmpty()) {
            boolean longTail = window.sources.stream().anyMatch(source -> SourceWindow.OTHER.equals(source.network));
            why.add("spread over " + networks.size() + " named networks" + (longTail ? " and a long tail" : "")
                    + " in " + byAsn.size() + " ASNs, top 3 networks " + percent(topNetworksShare) + ", suspicious "
                    + percent(suspiciousShare) + ", non-standard agents " + percent(nonStandardShare));
        }
        List<String> topSources = networks.stream().limit(3)
                .map(entry -> describe(describeBy.get(entry.getKey()), entry.getValue(), total))
                .toList();
        // The network a block would target: the one sending the most suspicious requests, else the busiest one.
        Map.Entry<String, Double> topSuspicious = top(suspiciousByNetwork);
        String sourceNetwork = !POSSIBLE_DDOS.equals(verdict) ? null
                : topSuspicious != null ? topSuspicious.getKey()
                : networks.isEmpty() ? null : networks.get(0).getKey();
        return new Verdict(verdict, suspiciousShare, nonStandardShare, topNetworksShare,
                topAsn == null ? null : topAsn.getKey(), topAsnShare, topCountry == null ? null : topCountry.getKey(),
                topCountryShare, networks.size(), topSources, String.join("; ", why), sourceNetwork);
    }

    private static Map.Entry<String, Double> top(Map<String, Double> counts) {
        // Ties go to the smaller key, so the verdict does not depend on hash order.
        Comparator<Map.Entry<String, Double>> byCount = Map.Entry.comparingByValue();
        Comparator<Map.Entry<String, Double>> byKeyDescending = Map.Entry.<String, Double>comparingByKey().reversed();
        return counts.entrySet().stream().max(byCount.thenComparing(byKeyDescending)).orElse(null);
    }

    private static String describe(SourceWindow.Source source, double requests, double total) {
        List<String> facts = new ArrayList<>();
        if (source.asn != null) {
            facts.add(source.asn);
        }
        if (source.country != null) {
            facts.add(source.country);
        }
        if (source.listedIn != null && !source.listedIn.isEmpty()) {
            facts.add("listed " + String.join("+", source.listedIn));
        }
        if (source.reputation > 0) {
            facts.add(String.format(Locale.ROOT, "reputation %.2f", source.reputation));
        }
        if (source.badUserAgent) {
            facts.add("ua " + source.userAgentClass);
        }
        return source.network + " " + percent(share(requests, total))
                + (facts.isEmpty() ? "" : facts.stream().collect(Collectors.joining(", ", " (", ")")));
    }

    private static double share(double part, double total) {
        return total <= 0 ? 0 : part / total;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }
}
