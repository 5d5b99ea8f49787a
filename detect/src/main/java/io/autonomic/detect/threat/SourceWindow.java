package io.autonomic.detect.threat;

import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.ThreatContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service's by-source request counts of one window, merged over its instances: a Flink POJO kept in keyed state
 * until the window's timer fires.
 */
public final class SourceWindow {

    /** One network (or the {@value #OTHER} bucket) with one user-agent class. */
    public static final class Source {
        public String network;
        public String userAgentClass;
        public double requests;
        public String asn;
        public String country;
        public double reputation;
        public List<String> listedIn = new ArrayList<>();
        public boolean badUserAgent;

        public Source() {
        }
    }

    /** The network name ingest gives the long tail beyond its top-N networks. */
    public static final String OTHER = "other";

    public long start;
    public long end;
    public double requests;
    /** The point with the most requests: its resource and context name the anomaly. */
    public EnrichedPoint busiest;
    public double busiestRequests;
    public List<Source> sources = new ArrayList<>();

    public SourceWindow() {
    }

    /** Adds one by-source point; the same network and class from two instances are merged. */
    public void add(EnrichedPoint point) {
        double count = point.getPoint().getValue();
        if (!(count > 0) || Double.isInfinite(count)) {
            return;
        }
        Map<String, String> attributes = point.getPoint().getAttributes();
        String network = attributes.getOrDefault(SourceSurgeFunction.NETWORK_ATTRIBUTE,
                attributes.getOrDefault("client.address", OTHER));
        String userAgentClass = attributes.getOrDefault(SourceSurgeFunction.USER_AGENT_CLASS_ATTRIBUTE, "standard");
        if (start == 0 || point.getPoint().getStartTimestampMillis() < start) {
            start = point.getPoint().getStartTimestampMillis();
        }
        end = point.getPoint().getTimestampMillis();
        requests += count;
        if (busiest == null || count > busiestRequests) {
            busiest = point;
            busiestRequests = count;
        }
        for (Source source : sources) {
            if (source.network.equals(network) && source.userAgentClass.equals(userAgentClass)) {
                source.requests += count;
                return;
            }
        }
        Source source = new Source();
        source.network = network;
        source.userAgentClass = userAgentClass;
        source.requests = count;
        ThreatContext threat = point.getThreat();
        source.badUserAgent = !"standard".equals(userAgentClass);
        if (threat != null) {
            source.asn = threat.getAsn();
            source.country = threat.getCountry();
            source.reputation = threat.getReputation();
            source.listedIn = new ArrayList<>(threat.getListedIn());
            source.badUserAgent |= threat.getBadUserAgent();
        }
        sources.add(source);
    }
}
