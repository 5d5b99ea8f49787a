package io.autonomic.enrich;

import static io.autonomic.enrich.EnrichTestData.BEGINNING;
import static io.autonomic.enrich.EnrichTestData.entry;
import static io.autonomic.enrich.EnrichTestData.point;
import static io.autonomic.enrich.EnrichTestData.topologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.flink.KafkaRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bounded wait for topology context: release on arrival, expiry, order, overflow, the recheck period. */
class EnrichContextWaitTest {

    private static final long T0 = BEGINNING.toEpochMilli();
    private static final long WAIT = 5_000;
    private static final long RECHECK = 60_000;
    private static final TopologyEntry ORDERS_DB = entry("orders-db", Layer.DATA, "team-data", List.of(), Map.of());

    private KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> harness;

    static EnrichFunction waiting(int maxPoints) {
        return new EnrichFunction(Topics.defaults().serviceEdges().name(), Topics.defaults().threatIntel().name(),
                Duration.ofMillis(WAIT), maxPoints, Duration.ofMillis(RECHECK));
    }

    @BeforeEach
    void openHarness() throws Exception {
        harness = EnrichFunctionTest.harness(waiting(100), 1, 0);
        harness.open();
        harness.setProcessingTime(T0);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    /** Entries in the heap keyed state backend, as KeyedOneInputStreamOperatorTestHarness counts them. */
    static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> harness) {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    @Test
    void entryArrivingWithinTheWait_releasesThePointsEnrichedInOrder() throws Exception {
        harness.processElement(point("orders-db", "process:db-1/orders-db", "db.server.io.error_ratio", T0, 0.1), T0);
        harness.processElement(point("orders-db", "process:db-1/orders-db", "db.server.io.error_ratio", T0 + 1, 0.2), T0);
        harness.processElement(point("orders-db", "process:db-1/orders-db", "db.server.query.duration.p99", T0 + 2, 3),
                T0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(T0 + 2_000);
        harness.processBroadcastElement(topologyRecord(0, "orders-db", ORDERS_DB), T0 + 2_000);

        assertThat(harness.extractOutputValues())
                .extracting(p -> p.getPoint().getValue(), p -> p.getContext().getFound(),
                        p -> p.getContext().getLayer())
                .containsExactly(tuple(0.1, true, Layer.DATA), tuple(0.2, true, Layer.DATA), tuple(3.0, true, Layer.DATA));

        harness.setProcessingTime(T0 + WAIT);
        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(keyedStateEntries(harness)).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void noEntryWithinTheWait_releasesMarkedExpired_thenPassesOnAtOnceUntilTheRecheck() throws Exception {
        harness.processElement(point("ghost", "process:h/ghost", "cpu", T0, 1), T0);

        harness.setProcessingTime(T0 + WAIT - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(T0 + WAIT);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(p -> {
            assertThat(p.getContext().getFound()).isFalse();
            assertThat(p.getContext().getService()).isEqualTo("ghost");
            assertThat(p.getContext().getNoContextReason()).isEqualTo(TopologyContexts.CONTEXT_WAIT_EXPIRED);
        });

        harness.setProcessingTime(T0 + WAIT + 1);
        harness.processElement(point("ghost", "process:h/ghost", "cpu", T0 + 10, 2), T0 + WAIT + 1);
        assertThat(harness.extractOutputValues()).last()
                .satisfies(p -> assertThat(p.getContext().getNoContextReason())
                        .isEqualTo(TopologyContexts.NOT_IN_TOPOLOGY));

        harness.setProcessingTime(T0 + WAIT + RECHECK);
        assertThat(keyedStateEntries(harness)).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.processElement(point("ghost", "process:h/ghost", "cpu", T0 + 20, 3), T0 + WAIT + RECHECK);
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void otherResources_doNotWaitBehindAWaitingOne() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", entry("checkout", Layer.APPLICATION, "t",
                List.of(), Map.of())), T0);
        harness.processElement(point("ghost", "process:h/ghost", "cpu", T0, 1), T0);
        harness.processElement(point("checkout", "process:h/checkout", "cpu", T0, 2), T0);
        harness.processElement(point(null, "host:h", "cpu", T0, 3), T0);

        assertThat(harness.extractOutputValues())
                .extracting(p -> p.getPoint().getValue(), p -> p.getContext().getFound(),
                        p -> p.getContext().getNoContextReason())
                .containsExactly(tuple(2.0, true, null), tuple(3.0, false, TopologyContexts.NO_SERVICE_NAME));
    }

    @Test
    void moreThanTheMaximumWaiting_releasesAllAsExpiredInOrder() throws Exception {
        harness.close();
        harness = EnrichFunctionTest.harness(waiting(2), 1, 0);
        harness.open();
        harness.setProcessingTime(T0);

        for (int i = 1; i <= 3; i++) {
            harness.processElement(point("ghost", "process:h/ghost", "cpu", T0 + i, i), T0);
        }

        assertThat(harness.extractOutputValues())
                .extracting(p -> p.getPoint().getValue(), p -> p.getContext().getNoContextReason())
                .containsExactly(tuple(1.0, TopologyContexts.CONTEXT_WAIT_EXPIRED),
                        tuple(2.0, TopologyContexts.CONTEXT_WAIT_EXPIRED),
                        tuple(3.0, TopologyContexts.CONTEXT_WAIT_EXPIRED));
        harness.setProcessingTime(T0 + WAIT);
        assertThat(harness.extractOutputValues()).hasSize(3);
    }

    @Test
    void waitingPoints_surviveACheckpoint() throws Exception {
        harness.processElement(point("orders-db", "process:db-1/orders-db", "cpu", T0, 1), T0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);

        try (KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> restored =
                EnrichFunctionTest.harness(waiting(100), 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(T0 + 1_000);
            restored.processBroadcastElement(topologyRecord(0, "orders-db", ORDERS_DB), T0 + 1_000);

            assertThat(restored.extractOutputValues()).singleElement()
                    .extracting(EnrichedPoint::getContext)
                    .extracting(TopologyContext::getFound, TopologyContext::getOwner)
                    .containsExactly(true, "team-data");
        }
    }

    @Test
    void counters_countArrivedAndExpiredPoints() throws Exception {
        EnrichFunctionTest.TestingTaskMetricGroup metrics = new EnrichFunctionTest.TestingTaskMetricGroup();
        try (EnrichFunctionTest.MeteredHarness counted = new EnrichFunctionTest.MeteredHarness(waiting(100), metrics)) {
            counted.open();
            counted.advanceProcessingTime(T0);
            counted.point(point("orders-db", "process:db-1/orders-db", "cpu", T0, 1));
            counted.point(point("orders-db", "process:db-1/orders-db", "cpu", T0 + 1, 2));
            counted.point(point("ghost", "process:h/ghost", "cpu", T0, 3));
            counted.broadcast(topologyRecord(0, "orders-db", ORDERS_DB));
            counted.advanceProcessingTime(T0 + WAIT);

            assertThat(counted.extractOutputValues()).hasSize(3);
            assertThat(((Counter) metrics.operator.get(EnrichFunction.POINTS_CONTEXT_ARRIVED)).getCount()).isEqualTo(2);
            assertThat(((Counter) metrics.operator.get(EnrichFunction.POINTS_CONTEXT_WAIT_EXPIRED)).getCount())
                    .isEqualTo(1);
            assertThat(((Counter) metrics.operator.get(EnrichFunction.POINTS_WITHOUT_CONTEXT)).getCount()).isEqualTo(1);
        }
    }

    @Test
    void stateTypes_arePojosWithoutGenericFields() {
        for (Class<?> type : new Class<?>[] {EnrichFunction.Waiting.class}) {
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
}
