package io.autonomic.detect.threat;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.detect.config.DetectConfig;
import io.autonomic.detect.diagnosis.ClassifierDiagnoser;
import io.autonomic.detect.incident.PlaybookCatalog;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.ThreatContext;
import io.autonomic.schemas.avro.TopologyContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A normal day, a 10x surge from a bad-reputation CIDR and a 10x flash crowd, over seeded synthetic per-source
 * counts of 10 s windows.
 */
class SourceSurgeFunctionTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long WINDOW = 10_000;
    private static final int NORMAL_WINDOWS = 8;

    /** The diagnosis classifier trained on the shipped seed history, and the default playbooks. */
    private static final ClassifierDiagnoser DIAGNOSER = ClassifierDiagnoser.fromSeedHistory();
    private static final PlaybookCatalog PLAYBOOKS = new PlaybookCatalog(DetectConfig.loadOrDefault(null).playbooks());

    private KeyedOneInputStreamOperatorTestHarness<String, EnrichedPoint, Anomaly> harness;
    private Random random;

    @BeforeEach
    void openHarness() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new SourceSurgeFunction(SourceSurgeSettings.DEFAULT), SourceSurgeFunction.KEY, Types.STRING);
        random = new Random(42);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    /** One by-source count as ingest emits and enrich annotates it. */
    static EnrichedPoint count(String instance, long windowEnd, String network, String userAgentClass, double requests,
            ThreatContext threat) {
        Resource resource = Resource.newBuilder().setId("process:" + instance + "/checkout")
                .setKind(ResourceKind.HOST_PROCESS).setService("checkout").setAttributes(new LinkedHashMap<>()).build();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("client.address", network.substring(0, network.indexOf('/') < 0 ? network.length()
                : network.indexOf('/')));
        attributes.put(SourceSurgeFunction.NETWORK_ATTRIBUTE, network);
        attributes.put(SourceSurgeFunction.USER_AGENT_CLASS_ATTRIBUTE, userAgentClass);
        TelemetryPoint point = TelemetryPoint.newBuilder().setResource(resource)
                .setMetric(SourceSurgeFunction.METRIC_BY_SOURCE).setType(MetricType.GAUGE).setAttributes(attributes)
                .setSeriesKey(resource.getId() + "|" + SourceSurgeFunction.METRIC_BY_SOURCE + "|" + network + "|"
                        + userAgentClass)
                .setTimestampMillis(windowEnd).setStartTimestampMillis(windowEnd - WINDOW).setValue(requests).build();
        TopologyContext context = TopologyContext.newBuilder().setFound(true).setService("checkout")
                .setLayer(Layer.APPLICATION).build();
        return EnrichedPoint.newBuilder().setPoint(point).setContext(context).setThreat(threat).build();
    }

    static ThreatContext clean(String address, String asn, String country) {
        return ThreatContext.newBuilder().setSourceAddress(address).setAsn(asn).setCountry(country)
                .setListedIn(new ArrayList<>()).build();
    }

    /** About 100 requests per window (10/s) from 40 residential networks over 12 ASNs, browser agents. */
    private List<EnrichedPoint> normalWindow(long end) {
        List<EnrichedPoint> points = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            double requests = 1 + random.nextInt(4);
            String net = "100." + (64 + n % 12) + "." + n + ".0/24";
            points.add(count(n % 2 == 0 ? "host-1" : "host-2", end, net, "standard", requests,
                    clean(net.substring(0, net.indexOf('/')), "AS" + (65000 + n % 12), n % 3 == 0 ? "FR" : "DE")));
        }
        points.add(count("host-1", end, SourceWindow.OTHER, "standard", 5, null));
        return points;
    }

    /** A normal window plus 1,100 requests from one listed, bad-reputation /24. */
    private List<EnrichedPoint> badReputationSurge(long end) {
        List<EnrichedPoint> surge = normalWindow(end);
        ThreatContext botnet = ThreatContext.newBuilder().setSourceAddress("203.0.113.0").setSourceNetwork(
                        "203.0.113.0/24").setAsn("AS64501").setCountry("NL").setReputation(0.9)
                .setListedIn(new ArrayList<>(List.of("botnet-a"))).build();
        surge.add(count("host-1", end, "203.0.113.0/24", "standard", 600, botnet));
        surge.add(count("host-2", end, "203.0.113.0/24", "standard", 500, botnet));
        return surge;
    }

    /** A normal window plus about 1,200 requests from 300 clean networks in 60 ASNs and a long tail. */
    private List<EnrichedPoint> flashCrowd(long end) {
        List<EnrichedPoint> crowd = normalWindow(end);
        for (int n = 0; n < 300; n++) {
            String net = "10." + (n / 200) + "." + (n % 200) + ".0/24";
            crowd.add(count(n % 2 == 0 ? "host-1" : "host-2", end, net, "standard", 2 + random.nextInt(4),
                    clean(net.substring(0, net.indexOf('/')), "AS" + (64600 + n % 60), List.of("DE", "FR", "NL", "US",
                            "GB", "ES", "IT", "PL").get(n % 8))));
        }
        crowd.add(count("host-2", end, SourceWindow.OTHER, "standard", 150, null));
        return crowd;
    }

    private void feed(List<EnrichedPoint> points, long end) throws Exception {
        for (EnrichedPoint point : points) {
            harness.processElement(point, end);
        }
        harness.processWatermark(new Watermark(end));
    }

    private void normalDay() throws Exception {
        for (int w = 1; w <= NORMAL_WINDOWS; w++) {
            long end = T0 + w * WINDOW;
            feed(normalWindow(end), end);
        }
    }

    @Test
    void normalDay_raisesNothing() throws Exception {
        normalDay();

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void tenfoldSurgeFromABadReputationCidr_isAPossibleDdos() throws Exception {
        normalDay();
        long end = T0 + (NORMAL_WINDOWS + 1) * WINDOW;
        feed(badReputationSurge(end), end);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(anomaly -> {
            assertThat(anomaly.getAttributes()).containsEntry(SourceSurgeFunction.VERDICT_ATTRIBUTE,
                    SurgeClassifier.POSSIBLE_DDOS);
            assertThat(anomaly.getDetector()).isEqualTo(SourceSurgeFunction.DETECTOR);
            assertThat(anomaly.getMetric()).isEqualTo(SourceSurgeFunction.METRIC_RATE);
            assertThat(anomaly.getObserved()).isGreaterThan(10 * anomaly.getExpected());
            assertThat(anomaly.getScore()).isBetween(0.9, 1.0);
            assertThat(anomaly.getReason()).contains("203.0.113.0/24").contains("listed botnet-a");
            assertThat(anomaly.getAttributes().get("threat.top_sources")).startsWith("203.0.113.0/24");
            assertThat(anomaly.getAttributes()).containsEntry(SourceSurgeFunction.SOURCE_NETWORK_ATTRIBUTE,
                    "203.0.113.0/24");
            assertThat(anomaly.getTimestampMillis()).isEqualTo(end);
            assertThat(anomaly.getResource().getService()).isEqualTo("checkout");
        });
    }

    @Test
    void tenfoldFlashCrowdFromManyCleanNetworks_isAFlashCrowdNotADdos() throws Exception {
        normalDay();
        long end = T0 + (NORMAL_WINDOWS + 1) * WINDOW;
        feed(flashCrowd(end), end);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(anomaly -> {
            assertThat(anomaly.getAttributes()).containsEntry(SourceSurgeFunction.VERDICT_ATTRIBUTE,
                    SurgeClassifier.FLASH_CROWD);
            assertThat(anomaly.getObserved()).isGreaterThan(10 * anomaly.getExpected());
            assertThat(anomaly.getReason()).startsWith("flash-crowd").contains("spread");
            assertThat(anomaly.getAttributes()).doesNotContainKey(SourceSurgeFunction.SOURCE_NETWORK_ATTRIBUTE);
        });
    }

    @Test
    void surgeFromOneAsnWithFloodToolAgents_isAPossibleDdos() throws Exception {
        normalDay();
        long end = T0 + (NORMAL_WINDOWS + 1) * WINDOW;
        List<EnrichedPoint> flood = normalWindow(end);
        for (int n = 0; n < 50; n++) {
            String net = "198.18." + n + ".0/24";
            flood.add(count("host-1", end, net, n % 2 == 0 ? "empty" : "bad-pattern", 25,
                    clean(net.substring(0, net.indexOf('/')), "AS64666", "XX")));
        }

        feed(flood, end);

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(anomaly -> {
                    assertThat(anomaly.getAttributes()).containsEntry(SourceSurgeFunction.VERDICT_ATTRIBUTE,
                            SurgeClassifier.POSSIBLE_DDOS);
                    assertThat(anomaly.getAttributes().get("threat.top_asn")).startsWith("AS64666");
                });
    }

    @Test
    void surgeWindows_doNotBecomeTheBaseline_andStateIsClearedWhenIdle() throws Exception {
        normalDay();
        for (int w = 1; w <= 3; w++) {
            long end = T0 + (NORMAL_WINDOWS + w) * WINDOW;
            List<EnrichedPoint> surge = normalWindow(end);
            surge.add(count("host-1", end, "203.0.113.0/24", "empty", 2_000, clean("203.0.113.0", "AS1", "NL")));
            feed(surge, end);
        }
        assertThat(harness.extractOutputValues()).hasSize(3);

        long lastEnd = T0 + (NORMAL_WINDOWS + 3) * WINDOW;
        harness.processWatermark(new Watermark(lastEnd + SourceSurgeSettings.DEFAULT.idleExpiry().toMillis()));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void baselineAndOpenWindow_surviveACheckpoint() throws Exception {
        normalDay();
        long end = T0 + (NORMAL_WINDOWS + 1) * WINDOW;
        ThreatContext botnet = ThreatContext.newBuilder().setSourceAddress("203.0.113.0").setReputation(0.9)
                .setListedIn(new ArrayList<>(List.of("botnet-a"))).build();
        harness.processElement(count("host-1", end, "203.0.113.0/24", "standard", 1_500, botnet), end);
        var snapshot = harness.snapshot(1L, end);
        harness.close();

        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                        new SourceSurgeFunction(SourceSurgeSettings.DEFAULT)), SourceSurgeFunction.KEY, Types.STRING);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        feed(normalWindow(end), end);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(anomaly -> assertThat(
                anomaly.getAttributes()).containsEntry(SourceSurgeFunction.VERDICT_ATTRIBUTE,
                SurgeClassifier.POSSIBLE_DDOS));
    }

    @Test
    void otherMetricsAndLateCounts_areIgnored() throws Exception {
        normalDay();
        EnrichedPoint other = count("host-1", T0 + 100 * WINDOW, "1.2.3.0/24", "standard", 1e6, null);
        other.getPoint().setMetric("http.server.request.count");
        harness.processElement(other, T0 + 100 * WINDOW);
        harness.processElement(count("host-1", T0, "1.2.3.0/24", "standard", 1e6, null), T0);
        harness.processWatermark(new Watermark(T0 + 100 * WINDOW));

        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void stateTypes_arePojosWithoutGenericFields() {
        for (Class<?> type : new Class<?>[] {SourceWindow.class, SourceWindow.Source.class, SourceSurgeFunction.Baseline.class}) {
            org.apache.flink.api.common.typeinfo.TypeInformation<?> info =
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
            org.apache.flink.api.java.typeutils.PojoTypeInfo<?> pojo = (org.apache.flink.api.java.typeutils.PojoTypeInfo<?>) info;
            for (int i = 0; i < pojo.getArity(); i++) {
                assertThat(pojo.getTypeAt(i)).as(type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName())
                        .isNotInstanceOf(org.apache.flink.api.java.typeutils.GenericTypeInfo.class);
            }
        }
    }

    @Test
    void badReputationSurge_isDiagnosedNetworkDdos_andTheBlockTargetsItsNetwork() throws Exception {
        normalDay();
        long end = T0 + (NORMAL_WINDOWS + 1) * WINDOW;
        feed(badReputationSurge(end), end);
        Anomaly surge = harness.extractOutputValues().get(0);

        Diagnosis diagnosis = DIAGNOSER.diagnose(surge.getResource(), List.of(surge));
        PlaybookCatalog.Decision decision = PLAYBOOKS.decide(diagnosis, surge.getResource(), List.of(surge),
                DIAGNOSER.minConfidence());

        assertThat(diagnosis.getIncidentType()).isEqualTo("network-ddos");
        assertThat(diagnosis.getConfidence()).isGreaterThanOrEqualTo(DIAGNOSER.minConfidence());
        assertThat(decision.issuesCommand()).as(decision.withheldReason()).isTrue();
        assertThat(decision.playbook().name()).isEqualTo("ddos-surge");
        assertThat(decision.parameters()).containsEntry("cidr", "203.0.113.0/24");
    }

    @Test
    void flashCrowd_isNotDiagnosedDdos_andNoPlaybookIsProposed() throws Exception {
        normalDay();
        long end = T0 + (NORMAL_WINDOWS + 1) * WINDOW;
        feed(flashCrowd(end), end);
        Anomaly crowd = harness.extractOutputValues().get(0);

        Diagnosis diagnosis = DIAGNOSER.diagnose(crowd.getResource(), List.of(crowd));
        PlaybookCatalog.Decision decision = PLAYBOOKS.decide(diagnosis, crowd.getResource(), List.of(crowd),
                DIAGNOSER.minConfidence());

        assertThat(diagnosis.getIncidentType()).isNotEqualTo("network-ddos");
        assertThat(decision.issuesCommand()).isFalse();
    }
}
