package io.autonomic.ingest.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class LogMinerFunctionTest {

    static final long T0 = 1_700_000_000_000L;
    static final Resource CHECKOUT = Resource.newBuilder().setId("process:host-1/checkout")
            .setKind(ResourceKind.HOST_PROCESS).setService("checkout").build();

    static LogEvent log(long at, String body) {
        return LogEvent.newBuilder().setResource(CHECKOUT).setTimestampMillis(at).setSeverityNumber(9)
                .setSeverityText("INFO").setBody(body).build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new LogMinerFunction(MinerConfig.DEFAULT),
                LogsIngest::minerKey, Types.STRING);
    }

    @Test
    void processElement_similarLines_shareTemplateIdWithParameters() throws Exception {
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(log(T0, "order 1001 paid by alice"), T0));
            harness.processElement(new StreamRecord<>(log(T0 + 1, "order 1002 paid by bob"), T0 + 1));

            List<LogEvent> out = harness.extractOutputValues();
            assertThat(out.get(1).getTemplateId()).isEqualTo(out.get(0).getTemplateId()).isNotEmpty();
            assertThat(out.get(1).getTemplate()).isEqualTo("order <*> paid by <*>");
            assertThat(out.get(1).getParameters()).containsExactly("1002", "bob");
        }
    }

    @Test
    void snapshot_restoredIntoNewInstance_keepsTemplateIds() throws Exception {
        String id;
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(log(T0, "cache miss for key user-17"), T0));
            harness.processElement(new StreamRecord<>(log(T0, "cache miss for key user-18"), T0));
            id = harness.extractOutputValues().get(1).getTemplateId();
            snapshot = harness.snapshot(1, T0);
        }
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<String, LogEvent, LogEvent>(
                new KeyedProcessOperator<>(new LogMinerFunction(MinerConfig.DEFAULT)), LogsIngest::minerKey, Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(log(T0 + 5, "cache miss for key user-99"), T0 + 5));
            assertThat(restored.extractOutputValues()).singleElement()
                    .satisfies(e -> assertThat(e.getTemplateId()).isEqualTo(id));
        }
    }

    @Test
    void processElement_failureLines_tagPatterns() throws Exception {
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(log(T0, "Back-off restarting failed container api in pod api-1"), T0));
            harness.processElement(new StreamRecord<>(log(T0, "Exception in thread main java.lang.OutOfMemoryError: Java heap space"), T0));
            harness.processElement(new StreamRecord<>(log(T0, "HikariPool-1 - Connection is not available, request timed out after 30000ms."), T0));
            assertThat(harness.extractOutputValues()).extracting(LogEvent::getPatterns).containsExactly(
                    List.of(LogPatterns.CRASH_LOOP, LogPatterns.RESTART),
                    List.of(LogPatterns.OOM_KILLED),
                    List.of(LogPatterns.CONNECTION_POOL_EXHAUSTED));
        }
    }

    @Test
    void processElement_repeatedRestarts_inferCrashLoop() throws Exception {
        try (var harness = harness()) {
            for (int i = 0; i < 3; i++) {
                harness.processElement(new StreamRecord<>(log(T0 + i * 20_000, "Started checkout in 2.1 seconds"), T0));
            }
            assertThat(harness.extractOutputValues()).extracting(LogEvent::getPatterns).containsExactly(
                    List.of(LogPatterns.RESTART), List.of(LogPatterns.RESTART),
                    List.of(LogPatterns.CRASH_LOOP, LogPatterns.RESTART));
        }
    }
}
