package io.autonomic.enrich;

import static io.autonomic.enrich.EnrichTestData.BEGINNING;
import static io.autonomic.enrich.EnrichTestData.entry;
import static io.autonomic.enrich.EnrichTestData.point;
import static io.autonomic.enrich.EnrichTestData.topologyRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.TopologyContext;
import io.autonomic.schemas.avro.TopologyEntry;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import io.autonomic.schemas.Topics;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrichFunctionTest {

    private static final long T0 = BEGINNING.toEpochMilli();
    private static final TopologyEntry CHECKOUT = entry("checkout", Layer.APPLICATION, "team-payments",
            List.of("orders-db"), Map.of("tier", "gold"));

    private KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> harness;

    /** Points pass on at once when their service is not declared: these tests are about the lookup itself. */
    static EnrichFunction withoutWaiting() {
        return new EnrichFunction(Topics.defaults().serviceEdges().name(), Topics.defaults().threatIntel().name(),
                Duration.ZERO, EnrichFunction.DEFAULT_MAX_WAITING_POINTS, EnrichFunction.DEFAULT_UNDECLARED_RECHECK);
    }

    static KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> harness(
            EnrichFunction function, int parallelism, int subtask) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> harness =
                new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(function,
                        EnrichFunction.BROADCAST_STATES), EnrichFunction.KEY, Types.STRING, 4, parallelism, subtask);
        return harness;
    }

    @BeforeEach
    void openHarness() throws Exception {
        harness = harness(withoutWaiting(), 1, 0);
        harness.open();
        harness.setProcessingTime(T0);
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void processElement_beforeAnyTopology_passesOnWithoutContext() throws Exception {
        TelemetryPoint point = point("checkout", "process:host-1/checkout", "latency", T0, 12.5);

        harness.processElement(point, T0);

        assertThat(harness.extractOutputValues()).singleElement().satisfies(enriched -> {
            assertThat(enriched.getPoint()).isEqualTo(point);
            assertThat(enriched.getContext().getFound()).isFalse();
            assertThat(enriched.getContext().getService()).isEqualTo("checkout");
            assertThat(enriched.getContext().getLayer()).isEqualTo(Layer.UNKNOWN);
            assertThat(enriched.getContext().getAutoRemediate()).isTrue();
        });
        assertThat(harness.getSideOutput(DeadLetters.TAG)).isNull();
    }

    private static KafkaRecord edgeRecord(long offset, String caller, String callee, boolean tombstone) {
        byte[] value = tombstone ? null : io.autonomic.schemas.AvroSerde.of(io.autonomic.schemas.avro.ServiceEdge.class)
                .encode(io.autonomic.schemas.avro.ServiceEdge.newBuilder().setCaller(caller).setCallee(callee)
                        .setProtocol("http").setFirstSeenMillis(T0).setLastSeenMillis(T0).setCalls(3).setErrors(0)
                        .build());
        return new KafkaRecord(io.autonomic.schemas.Topics.defaults().serviceEdges().name(), 0, offset, T0,
                (caller + "->" + callee).getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void processElement_observedEdges_unionWithDeclaredAndLiveRemoval() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);
        harness.processBroadcastElement(edgeRecord(0, "checkout", "payments", false), T0);
        harness.processBroadcastElement(edgeRecord(1, "checkout", "inventory", false), T0);
        harness.processBroadcastElement(edgeRecord(2, "checkout", "inventory", false), T0);
        harness.processElement(point("checkout", "process:host-1/checkout", "latency", T0 + 1, 1.0), T0 + 1);

        harness.processBroadcastElement(edgeRecord(3, "checkout", "payments", true), T0 + 2);
        harness.processElement(point("checkout", "process:host-1/checkout", "latency", T0 + 3, 1.0), T0 + 3);
        harness.processElement(point("payments", "process:host-2/payments", "latency", T0 + 3, 1.0), T0 + 3);

        List<EnrichedPoint> out = harness.extractOutputValues();
        assertThat(out.get(0).getContext().getDependencies()).containsExactly("orders-db");
        assertThat(out.get(0).getContext().getObservedDependencies()).containsExactly("inventory", "payments");
        assertThat(out.get(1).getContext().getObservedDependencies()).containsExactly("inventory");
        assertThat(out.get(2).getContext().getObservedDependencies()).isEmpty();
        assertThat(out.get(2).getContext().getFound()).isFalse();
    }

    @Test
    void processBroadcastElement_undecodableEdge_isDeadLettered() throws Exception {
        harness.processBroadcastElement(new KafkaRecord(io.autonomic.schemas.Topics.defaults().serviceEdges().name(),
                0, 7, T0, "a->b".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}), T0);
        assertThat(harness.getSideOutput(DeadLetters.TAG)).singleElement()
                .satisfies(r -> assertThat(r.getValue().getReason()).isEqualTo(EnrichFunction.UNDECODABLE_SERVICE_EDGE));
    }

    @Test
    void processElement_afterTopology_attachesTheContext() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);

        harness.processElement(point("checkout", "process:host-1/checkout", "latency", T0 + 1, 12.5), T0 + 1);

        TopologyContext context = harness.extractOutputValues().get(0).getContext();
        assertThat(context.getFound()).isTrue();
        assertThat(context.getService()).isEqualTo("checkout");
        assertThat(context.getLayer()).isEqualTo(Layer.APPLICATION);
        assertThat(context.getOwner()).isEqualTo("team-payments");
        assertThat(context.getDependencies()).containsExactly("orders-db");
        assertThat(context.getTags()).containsExactlyEntriesOf(Map.of("tier", "gold"));
        assertThat(context.getAutoRemediate()).isTrue();
        assertThat(harness.getBroadcastState(EnrichFunction.TOPOLOGY_STATE).get("checkout")).isEqualTo(CHECKOUT);
    }

    @Test
    void processElement_otherService_getsNoContext() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);

        harness.processElement(point("inventory", "process:host-2/inventory", "latency", T0, 1), T0);
        harness.processElement(point(null, "host:host-3", "cpu", T0, 1), T0);

        assertThat(harness.extractOutputValues()).extracting(EnrichedPoint::getContext)
                .extracting(TopologyContext::getFound, TopologyContext::getService)
                .containsExactly(tuple(false, "inventory"),
                        tuple(false, null));
    }

    @Test
    void processBroadcastElement_update_appliesToTheNextPoint() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);
        harness.processElement(point("checkout", "process:host-1/checkout", "latency", T0, 1), T0);

        TopologyEntry changed = entry("checkout", Layer.APPLICATION, "team-checkout", List.of("orders-db"),
                Map.of("AutoRemediate", "false"));
        harness.processBroadcastElement(topologyRecord(1, "checkout", changed), T0 + 1);
        harness.processElement(point("checkout", "process:host-1/checkout", "latency", T0 + 2, 2), T0 + 2);

        assertThat(harness.extractOutputValues()).extracting(EnrichedPoint::getContext)
                .extracting(TopologyContext::getOwner, TopologyContext::getAutoRemediate)
                .containsExactly(tuple("team-payments", true),
                        tuple("team-checkout", false));
    }

    @Test
    void processBroadcastElement_tombstone_removesTheServiceFromState() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);
        harness.processBroadcastElement(topologyRecord(1, "checkout", (TopologyEntry) null), T0 + 1);

        harness.processElement(point("checkout", "process:host-1/checkout", "latency", T0 + 2, 1), T0 + 2);

        assertThat(harness.extractOutputValues().get(0).getContext().getFound()).isFalse();
        assertThat(harness.getBroadcastState(EnrichFunction.TOPOLOGY_STATE).entries()).isEmpty();
        assertThat(harness.getSideOutput(DeadLetters.TAG)).isNull();
    }

    @Test
    void processBroadcastElement_tombstoneForUnknownService_isIgnored() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "ghost", (TopologyEntry) null), T0);

        assertThat(harness.getBroadcastState(EnrichFunction.TOPOLOGY_STATE).entries()).isEmpty();
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(DeadLetters.TAG)).isNull();
    }

    @Test
    void processBroadcastElement_garbage_becomesADeadLetterAndKeepsTheOldEntry() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        harness.processBroadcastElement(topologyRecord(7, "checkout", garbage), T0 + 1);

        assertThat(harness.getSideOutput(DeadLetters.TAG)).singleElement()
                .extracting(StreamRecord::getValue)
                .satisfies(deadLetter -> {
                    assertThat(deadLetter.getStage()).isEqualTo("enrich");
                    assertThat(deadLetter.getReason()).isEqualTo(EnrichFunction.UNDECODABLE_TOPOLOGY);
                    assertThat(deadLetter.getSourceTopic()).isEqualTo(EnrichTestData.TOPOLOGY_TOPIC);
                    assertThat(deadLetter.getSourceOffset()).isEqualTo(7);
                    assertThat(deadLetter.getKey()).isEqualTo(ByteBuffer.wrap("checkout".getBytes(StandardCharsets.UTF_8)));
                    assertThat(deadLetter.getValue()).isEqualTo(ByteBuffer.wrap(garbage));
                    assertThat(deadLetter.getTimestampMillis()).isEqualTo(T0);
                });
        assertThat(harness.getBroadcastState(EnrichFunction.TOPOLOGY_STATE).get("checkout")).isEqualTo(CHECKOUT);
        assertThat(harness.extractOutputValues()).isEmpty();
    }

    @Test
    void processBroadcastElement_keyNotMatchingTheEntry_becomesADeadLetter() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "orders", CHECKOUT), T0);

        assertThat(harness.getSideOutput(DeadLetters.TAG)).singleElement()
                .extracting(record -> record.getValue().getReason())
                .isEqualTo(EnrichFunction.TOPOLOGY_KEY_MISMATCH);
        assertThat(harness.getBroadcastState(EnrichFunction.TOPOLOGY_STATE).entries()).isEmpty();
    }

    @Test
    void processBroadcastElement_withoutKey_becomesADeadLetter() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, null, CHECKOUT), T0);

        assertThat(harness.getSideOutput(DeadLetters.TAG)).singleElement()
                .extracting(record -> record.getValue().getReason())
                .isEqualTo(EnrichFunction.MISSING_TOPOLOGY_KEY);
        assertThat(harness.getBroadcastState(EnrichFunction.TOPOLOGY_STATE).entries()).isEmpty();
    }

    @Test
    void processBroadcastElement_onSubtaskOtherThanZero_updatesStateButReportsNothing() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> second =
                harness(withoutWaiting(), 2, 1)) {
            second.open();

            second.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);
            second.processBroadcastElement(topologyRecord(1, "checkout", new byte[] {1, 2, 3}), T0);

            assertThat(second.getBroadcastState(EnrichFunction.TOPOLOGY_STATE).get("checkout")).isEqualTo(CHECKOUT);
            assertThat(second.getSideOutput(DeadLetters.TAG)).isNull();
        }
    }

    @Test
    void snapshot_restoresTheTopology() throws Exception {
        harness.processBroadcastElement(topologyRecord(0, "checkout", CHECKOUT), T0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, T0);

        try (KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, KafkaRecord, EnrichedPoint> restored =
                harness(withoutWaiting(), 1, 0)) {
            restored.initializeState(snapshot);
            restored.open();

            restored.processElement(point("checkout", "process:host-1/checkout", "latency", T0, 1), T0);

            assertThat(restored.extractOutputValues().get(0).getContext().getOwner()).isEqualTo("team-payments");
        }
    }

    @Test
    void pointsWithoutContext_countsOnlyUnmatchedPoints() throws Exception {
        TestingTaskMetricGroup metrics = new TestingTaskMetricGroup();
        try (MeteredHarness counted = new MeteredHarness(withoutWaiting(), metrics)) {
            counted.open();

            counted.broadcast(topologyRecord(0, "checkout", CHECKOUT));
            counted.point(point("checkout", "p:1", "latency", T0, 1));
            counted.point(point("inventory", "p:2", "latency", T0, 1));
            counted.point(point(null, "p:3", "latency", T0, 1));

            assertThat(counted.extractOutputValues()).hasSize(3);
            Counter counter = (Counter) metrics.operator.get(EnrichFunction.POINTS_WITHOUT_CONTEXT);
            assertThat(counter.getCount()).isEqualTo(2);
        }
    }

    /**
     * A keyed broadcast harness whose metric group a test can read: the stock keyed harness does not take an
     * environment, so this sets up keyed state the way it does, on a {@link MockEnvironment} with our metric group.
     */
    static final class MeteredHarness extends AbstractStreamOperatorTestHarness<EnrichedPoint> {

        private final CoBroadcastWithKeyedOperator<String, TelemetryPoint, KafkaRecord, EnrichedPoint> operator;

        MeteredHarness(EnrichFunction function, TestingTaskMetricGroup metrics) throws Exception {
            this(new CoBroadcastWithKeyedOperator<>(function, EnrichFunction.BROADCAST_STATES), metrics);
        }

        private MeteredHarness(CoBroadcastWithKeyedOperator<String, TelemetryPoint, KafkaRecord, EnrichedPoint> operator,
                TestingTaskMetricGroup metrics) throws Exception {
            super(operator, new MockEnvironmentBuilder().setMetricGroup(metrics).build());
            this.operator = operator;
            config.setStatePartitioner(0, EnrichFunction.KEY);
            config.setStateKeySerializer(Types.STRING.createSerializer(executionConfig.getSerializerConfig()));
            config.serializeAllConfigs();
        }

        void point(TelemetryPoint point) throws Exception {
            StreamRecord<TelemetryPoint> record = new StreamRecord<>(point, point.getTimestampMillis());
            operator.setKeyContextElement1(record);
            operator.processElement1(record);
        }

        void broadcast(KafkaRecord record) throws Exception {
            operator.processElement2(new StreamRecord<>(record, record.timestamp));
        }

        void advanceProcessingTime(long millis) throws Exception {
            setProcessingTime(millis);
        }
    }

    /** Hands every operator the same intercepting group, so a test can read the metrics a function registers. */
    static final class TestingTaskMetricGroup extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

        final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(OperatorID operatorId, String name,
                Map<String, String> additionalVariables) {
            return operator;
        }

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(String name) {
            return operator;
        }
    }
}
