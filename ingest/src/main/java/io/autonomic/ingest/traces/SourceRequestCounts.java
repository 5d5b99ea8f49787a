package io.autonomic.ingest.traces;

import io.autonomic.ingest.ResourceIdentity;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by resource id, over server spans that name their client: per event-time tumbling window, counts requests
 * per (client network, user-agent class) and emits one {@value #METRIC} point per pair when the watermark passes the
 * window's end, with attributes {@code client.address} (the network address), {@code client.network} (the CIDR) and
 * {@code user_agent.class} ({@value #STANDARD}, {@value #BAD_PATTERN} or {@value #EMPTY}). Enrich attaches threat
 * context to these points and detect's source-surge function judges DDoS against flash crowd from them.
 *
 * <p>Cardinality is bounded twice: per window at most {@link #MAX_TRACKED_SOURCES} distinct pairs are tracked (the
 * rest count as network {@value #OTHER}; a spoofed-source flood must not exhaust state), and only the top
 * {@code topNetworks} networks by requests are emitted by name, the rest summed per user-agent class under network
 * {@value #OTHER}. Client networks are the address's /{@code prefixV4} (IPv4) or /{@code prefixV6} (IPv6). A span
 * whose client address is not a numeric IP counts under {@value #OTHER}. A key's state is gone once its last open
 * window has fired.
 */
public final class SourceRequestCounts extends KeyedProcessFunction<String, SpanSample, TelemetryPoint>
        implements ResultTypeQueryable<TelemetryPoint> {

    private static final long serialVersionUID = 1L;

    public static final String METRIC = "http.server.request.count.by_source";
    public static final String SCOPE = "autonomic.traces.sources";
    public static final String OTHER = "other";
    public static final String STANDARD = "standard";
    public static final String BAD_PATTERN = "bad-pattern";
    public static final String EMPTY = "empty";
    public static final int MAX_TRACKED_SOURCES = 10_000;

    public static final Option<Integer> PREFIX_V4 = Option.integer("traces.source-prefix-v4", 24,
            "per-source request counts group IPv4 clients by this prefix length");
    public static final Option<Integer> PREFIX_V6 = Option.integer("traces.source-prefix-v6", 48,
            "per-source request counts group IPv6 clients by this prefix length");
    public static final Option<Integer> TOP_NETWORKS = Option.integer("traces.source-top-networks", 20,
            "per-source request counts name this many busiest networks per resource and window; the rest are 'other'");
    public static final Option<String> BAD_USER_AGENTS = Option.string("traces.bad-user-agents",
            "sqlmap,nikto,nmap,masscan,zgrab,loic,hoic,slowloris,goldeneye,hulk",
            "comma-separated case-insensitive User-Agent substrings counted as user_agent.class=bad-pattern");
    public static final List<Option<?>> OPTIONS = List.of(PREFIX_V4, PREFIX_V6, TOP_NETWORKS, BAD_USER_AGENTS);

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");

    /** Requests per {@code network|class} in one window, plus the resource they belong to. */
    public static final class WindowCounts implements Serializable {
        private static final long serialVersionUID = 1L;
        public Map<String, Long> counts = new HashMap<>();

        public WindowCounts() {
        }
    }

    private final long windowMillis;
    private final int prefixV4;
    private final int prefixV6;
    private final int topNetworks;
    private final List<String> badPatterns;
    private transient MapState<Long, WindowCounts> windows;
    private transient ValueState<SpanSample> prototype;
    private transient Counter late;

    public SourceRequestCounts(long windowMillis, int prefixV4, int prefixV6, int topNetworks, List<String> badPatterns) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("windowMillis must be positive, was " + windowMillis);
        }
        if (prefixV4 < 0 || prefixV4 > 32) {
            throw new IllegalArgumentException("--" + PREFIX_V4.name() + " must be 0..32, was " + prefixV4);
        }
        if (prefixV6 < 0 || prefixV6 > 128) {
            throw new IllegalArgumentException("--" + PREFIX_V6.name() + " must be 0..128, was " + prefixV6);
        }
        if (topNetworks < 1) {
            throw new IllegalArgumentException("--" + TOP_NETWORKS.name() + " must be positive, was " + topNetworks);
        }
        this.windowMillis = windowMillis;
        this.prefixV4 = prefixV4;
        this.prefixV6 = prefixV6;
        this.topNetworks = topNetworks;
        this.badPatterns = badPatterns.stream().map(String::strip).filter(p -> !p.isEmpty())
                .map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /** Parses the comma-separated {@link #BAD_USER_AGENTS} value. */
    public static List<String> patterns(String commaSeparated) {
        return Arrays.stream(Objects.requireNonNullElse(commaSeparated, "").split(",")).map(String::strip)
                .filter(p -> !p.isEmpty()).toList();
    }

    /** Whether a sample is a server span that names its client. */
    public static boolean namesItsClient(SpanSample sample) {
        return sample.role == SpanSample.Role.SERVICE && sample.clientAddress != null && !sample.clientAddress.isBlank();
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("source-counts", Types.LONG,
                TypeInformation.of(WindowCounts.class)));
        prototype = getRuntimeContext().getState(new ValueStateDescriptor<>("source-prototype",
                TypeInformation.of(SpanSample.class)));
        late = getRuntimeContext().getMetricGroup().counter("lateSourceSpans");
    }

    @Override
    public void processElement(SpanSample sample, Context ctx, Collector<TelemetryPoint> out) throws Exception {
        if (!namesItsClient(sample)) {
            return;
        }
        long start = sample.timestampMillis - Math.floorMod(sample.timestampMillis, windowMillis);
        long lastMillis = start + windowMillis - 1;
        if (lastMillis <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        WindowCounts window = windows.get(start);
        if (window == null) {
            window = new WindowCounts();
            ctx.timerService().registerEventTimeTimer(lastMillis);
        }
        String network = network(sample.clientAddress);
        String key = network + "|" + userAgentClass(sample.userAgent);
        if (!window.counts.containsKey(key) && window.counts.size() >= MAX_TRACKED_SOURCES) {
            key = OTHER + "|" + userAgentClass(sample.userAgent);
        }
        window.counts.merge(key, 1L, Long::sum);
        windows.put(start, window);
        if (prototype.value() == null) {
            prototype.update(sample);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TelemetryPoint> out) throws Exception {
        long start = timestamp - windowMillis + 1;
        WindowCounts window = windows.get(start);
        SpanSample sample = prototype.value();
        if (window != null && sample != null) {
            emit(sample, start, window, out);
        }
        windows.remove(start);
        if (windows.isEmpty()) {
            windows.clear();
            prototype.clear();
        }
    }

    private void emit(SpanSample sample, long start, WindowCounts window, Collector<TelemetryPoint> out) {
        Map<String, Long> byNetwork = new HashMap<>();
        window.counts.forEach((key, count) -> byNetwork.merge(key.substring(0, key.lastIndexOf('|')), count, Long::sum));
        List<String> named = byNetwork.entrySet().stream()
                .filter(entry -> !OTHER.equals(entry.getKey()))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(topNetworks)
                .map(Map.Entry::getKey)
                .toList();
        Map<String, Long> emitted = new LinkedHashMap<>();
        window.counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String key = entry.getKey();
            int bar = key.lastIndexOf('|');
            String network = key.substring(0, bar);
            String target = named.contains(network) ? key : OTHER + "|" + key.substring(bar + 1);
            emitted.merge(target, entry.getValue(), Long::sum);
        });
        long end = start + windowMillis;
        emitted.forEach((key, count) -> {
            int bar = key.lastIndexOf('|');
            String network = key.substring(0, bar);
            Map<String, String> attributes = new LinkedHashMap<>();
            if (!OTHER.equals(network)) {
                attributes.put("client.address", network.substring(0, network.indexOf('/')));
            }
            attributes.put("client.network", network);
            attributes.put("user_agent.class", key.substring(bar + 1));
            out.collect(TelemetryPoint.newBuilder()
                    .setResource(sample.resource)
                    .setMetric(METRIC)
                    .setUnit("{requests}")
                    .setType(MetricType.GAUGE)
                    .setTemporality(Temporality.UNSPECIFIED)
                    .setAttributes(attributes)
                    .setSeriesKey(ResourceIdentity.seriesKey(sample.resource.getId(), METRIC, attributes))
                    .setTimestampMillis(end)
                    .setStartTimestampMillis(start)
                    .setValue(count)
                    .setScope(SCOPE)
                    .build());
        });
    }

    /** The client's network as a CIDR, or {@value #OTHER} when the address is not a numeric IP. */
    String network(String address) {
        String text = address.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        boolean v4 = IPV4.matcher(text).matches();
        // Only literals reach InetAddress: anything else could make it resolve a name over DNS.
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches())) {
            return OTHER;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return OTHER;
        }
        int prefix = bytes.length == 4 ? prefixV4 : prefixV6;
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - keep)));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return OTHER;
        }
    }

    String userAgentClass(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return EMPTY;
        }
        String lower = userAgent.toLowerCase(Locale.ROOT);
        for (String pattern : badPatterns) {
            if (lower.contains(pattern)) {
                return BAD_PATTERN;
            }
        }
        return STANDARD;
    }

    @Override
    public TypeInformation<TelemetryPoint> getProducedType() {
        return TypeInformation.of(TelemetryPoint.class);
    }
}
