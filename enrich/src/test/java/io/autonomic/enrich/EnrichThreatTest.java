package io.autonomic.enrich;

import static io.autonomic.enrich.EnrichTestData.BEGINNING;
import static io.autonomic.enrich.EnrichTestData.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.enrich.threat.Cidr;
import io.autonomic.enrich.threat.ThreatIndicators;
import io.autonomic.schemas.AvroSerde;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.ThreatContext;
import io.autonomic.schemas.avro.ThreatIndicator;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Threat context on enriched points, from the threat-intel topic, updated live. */
class EnrichThreatTest {

    private static final long T0 = BEGINNING.toEpochMilli();
    private static final String TOPIC = Topics.defaults().threatIntel().name();
    private static final long REBUILD = EnrichFunction.THREAT_REBUILD_INTERVAL.toMillis();

    private KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> harness;
    private long offset;

    @BeforeEach
    void openHarness() throws Exception {
        harness = EnrichFunctionTest.harness(EnrichFunctionTest.withoutWaiting(), 1, 0);
        harness.open();
        harness.setProcessingTime(T0);
        publish(ThreatIndicators.blocked(Cidr.parse("203.0.113.0/24"), "botnet-a", 0.9, "block.csv"));
        publish(ThreatIndicators.geo(Cidr.parse("203.0.113.0/24"), "NL", "AS64501", "Bullet Hosting", "geo.csv"));
        publish(ThreatIndicators.badUserAgent("sqlmap", "ua.csv"));
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    private void publish(ThreatIndicator indicator) throws Exception {
        harness.processBroadcastElement(record(indicator.getKey(), AvroSerde.of(ThreatIndicator.class).encode(indicator)),
                harness.getProcessingTime());
    }

    private KafkaRecord record(String key, byte[] value) {
        return new KafkaRecord(TOPIC, 0, offset++, T0, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static TelemetryPoint request(String address, String userAgent) {
        TelemetryPoint point = point("checkout", "process:h/checkout", "http.server.request.count.by_source", T0, 10);
        if (address != null) {
            point.getAttributes().put("client.address", address);
        }
        if (userAgent != null) {
            point.getAttributes().put("user_agent.original", userAgent);
        }
        return point;
    }

    private ThreatContext enrich(TelemetryPoint point) throws Exception {
        harness.processElement(point, harness.getProcessingTime());
        var out = harness.extractOutputValues();
        return out.get(out.size() - 1).getThreat();
    }

    @Test
    void pointNamingAListedSource_getsItsThreatContext() throws Exception {
        ThreatContext threat = enrich(request("203.0.113.50", "sqlmap/1.7"));

        assertThat(threat.getListedIn()).containsExactly("botnet-a");
        assertThat(threat.getReputation()).isEqualTo(0.9);
        assertThat(threat.getCountry()).isEqualTo("NL");
        assertThat(threat.getAsn()).isEqualTo("AS64501");
        assertThat(threat.getBadUserAgent()).isTrue();
    }

    @Test
    void pointWithoutASource_getsNull() throws Exception {
        assertThat(enrich(point("checkout", "process:h/checkout", "cpu", T0, 1))).isNull();
    }

    @Test
    void userAgentClassOfPerSourceCounts_marksNonStandardAgents() throws Exception {
        TelemetryPoint empty = request("198.51.100.0", null);
        empty.getAttributes().put(EnrichFunction.USER_AGENT_CLASS_ATTRIBUTE, "empty");
        TelemetryPoint standard = request("198.51.100.0", null);
        standard.getAttributes().put(EnrichFunction.USER_AGENT_CLASS_ATTRIBUTE, "standard");

        assertThat(enrich(empty).getBadUserAgent()).isTrue();
        assertThat(enrich(standard).getBadUserAgent()).isFalse();
    }

    @Test
    void updatesAndTombstones_applyLiveWithoutRestart() throws Exception {
        assertThat(enrich(request("192.0.2.10", null)).getListedIn()).isEmpty();

        publish(ThreatIndicators.blocked(Cidr.parse("192.0.2.0/24"), "new-list", 1.0, "feed"));
        harness.setProcessingTime(T0 + REBUILD);
        assertThat(enrich(request("192.0.2.10", null)).getListedIn()).containsExactly("new-list");

        harness.processBroadcastElement(record("cidr:new-list:192.0.2.0/24", null), T0 + REBUILD);
        harness.setProcessingTime(T0 + 2 * REBUILD);
        assertThat(enrich(request("192.0.2.10", null)).getListedIn()).isEmpty();
        assertThat(harness.getBroadcastState(EnrichFunction.THREAT_INDICATORS).contains("cidr:new-list:192.0.2.0/24"))
                .isFalse();
    }

    @Test
    void badIndicators_becomeDeadLettersAndAreNotStored() throws Exception {
        harness.processBroadcastElement(record("cidr:x:1", "garbage".getBytes(StandardCharsets.UTF_8)), T0);
        ThreatIndicator invalid = ThreatIndicator.newBuilder(
                ThreatIndicators.blocked(Cidr.parse("10.0.0.0/8"), "x", 1.0, "f")).setCidr("10.0.0.0/99").build();
        harness.processBroadcastElement(record(invalid.getKey(), AvroSerde.of(ThreatIndicator.class).encode(invalid)), T0);
        harness.processBroadcastElement(record(null, new byte[] {1}), T0);

        assertThat(harness.getSideOutput(DeadLetters.TAG)).extracting(r -> r.getValue().getReason())
                .containsExactly(EnrichFunction.UNDECODABLE_THREAT_INDICATOR, EnrichFunction.INVALID_THREAT_INDICATOR,
                        EnrichFunction.MISSING_THREAT_INDICATOR_KEY);
        assertThat(harness.getBroadcastState(EnrichFunction.THREAT_INDICATORS).contains(invalid.getKey())).isFalse();
        assertThat(enrich(request("10.1.1.1", null)).getListedIn()).isEmpty();
    }

    @Test
    void threatIndicators_areRestoredFromACheckpoint() throws Exception {
        var snapshot = harness.snapshot(1L, T0);
        try (KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> restored =
                EnrichFunctionTest.harness(EnrichFunctionTest.withoutWaiting(), 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(request("203.0.113.1", "curl/8"), T0);

            assertThat(restored.extractOutputValues().get(0).getThreat().getListedIn()).containsExactly("botnet-a");
            assertThat(Map.copyOf(restored.extractOutputValues().get(0).getPoint().getAttributes()))
                    .containsEntry("client.address", "203.0.113.1");
        }
    }
}
