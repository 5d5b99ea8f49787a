package io.autonomic.ingest.traces;

import static io.autonomic.ingest.traces.RedWindowFunctionTest.T0;
import static io.autonomic.ingest.traces.RedWindowFunctionTest.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.ServiceEdge;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceEdgeFunctionTest {

    private static final long EXPIRY = 60_000;
    private KeyedOneInputStreamOperatorTestHarness<String, SpanSample, EdgeUpdate> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ServiceEdgeFunction(10_000, EXPIRY),
                SpanSample::edgeKey, Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(SpanSample sample) throws Exception {
        harness.processElement(new StreamRecord<>(sample, sample.timestampMillis));
    }

    @Test
    void onTimer_windowsWithCalls_emitEdgeWithCountsAndSeenTimes() throws Exception {
        send(client(T0 + 100, "inventory", 5, false));
        send(client(T0 + 200, "inventory", 5, true));
        send(client(T0 + 12_000, "inventory", 5, false));
        harness.processWatermark(T0 + 19_999);

        List<EdgeUpdate> updates = harness.extractOutputValues();
        assertThat(updates).hasSize(2).allSatisfy(u -> {
            assertThat(u.key).isEqualTo("checkout->inventory");
            assertThat(u.expired).isFalse();
        });
        ServiceEdge first = updates.get(0).edge;
        assertThat(first.getCalls()).isEqualTo(2);
        assertThat(first.getErrors()).isEqualTo(1);
        assertThat(first.getProtocol()).isEqualTo("http");
        assertThat(first.getFirstSeenMillis()).isEqualTo(T0 + 100);
        ServiceEdge second = updates.get(1).edge;
        assertThat(second.getCalls()).isEqualTo(1);
        assertThat(second.getErrors()).isZero();
        assertThat(second.getFirstSeenMillis()).isEqualTo(T0 + 100);
        assertThat(second.getLastSeenMillis()).isEqualTo(T0 + 12_000);
    }

    @Test
    void onTimer_edgeUnseenForExpiry_emitsTombstoneAndClearsState() throws Exception {
        send(client(T0 + 100, "inventory", 5, false));
        harness.processWatermark(T0 + 9_999);
        harness.processWatermark(T0 + 100 + EXPIRY - 1);
        assertThat(harness.extractOutputValues()).hasSize(1);

        harness.processWatermark(T0 + 100 + EXPIRY);

        List<EdgeUpdate> updates = harness.extractOutputValues();
        assertThat(updates).hasSize(2);
        assertThat(updates.get(1).expired).isTrue();
        assertThat(updates.get(1).key).isEqualTo("checkout->inventory");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void onTimer_callsKeepComing_edgeDoesNotExpire() throws Exception {
        send(client(T0 + 100, "inventory", 5, false));
        harness.processWatermark(T0 + 50_000);
        send(client(T0 + 55_000, "inventory", 5, false));
        harness.processWatermark(T0 + 100 + EXPIRY + 1_000);
        assertThat(harness.extractOutputValues()).noneMatch(u -> u.expired);
    }
}
