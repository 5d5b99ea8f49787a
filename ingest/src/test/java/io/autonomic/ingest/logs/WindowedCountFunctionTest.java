package io.autonomic.ingest.logs;

import static io.autonomic.ingest.logs.LogMinerFunctionTest.T0;
import static io.autonomic.ingest.logs.LogMinerFunctionTest.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.avro.TelemetryPoint;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class WindowedCountFunctionTest {

    private static List<TelemetryPoint> occurrences(LogEvent event) {
        List<TelemetryPoint> points = new ArrayList<>();
        new LogCounts().flatMap(event, new Collector<>() {
            @Override
            public void collect(TelemetryPoint record) {
                points.add(record);
            }

            @Override
            public void close() {
            }
        });
        return points;
    }

    @Test
    void onTimer_windowClosed_emitsCountsPerTemplateSeverityAndPattern() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, TelemetryPoint, TelemetryPoint> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new WindowedCountFunction(10_000),
                        TelemetryPoint::getSeriesKey, Types.STRING)) {
            LogEvent oom = LogEvent.newBuilder(log(T0 + 1, "Out of memory: Killed process 4242 (java)"))
                    .setTemplateId("t1").setPatterns(List.of(LogPatterns.OOM_KILLED)).build();
            for (int i = 0; i < 3; i++) {
                for (TelemetryPoint p : occurrences(oom)) {
                    harness.processElement(new StreamRecord<>(p, p.getTimestampMillis()));
                }
            }
            harness.processWatermark(T0 + 9_999);

            assertThat(harness.extractOutputValues())
                    .extracting(TelemetryPoint::getMetric, p -> p.getAttributes().toString(), TelemetryPoint::getValue,
                            TelemetryPoint::getTimestampMillis)
                    .containsExactlyInAnyOrder(
                            tuple(LogCounts.TEMPLATE_COUNT, "{template.id=t1}", 3.0, T0 + 10_000),
                            tuple(LogCounts.RECORDS, "{severity=INFO}", 3.0, T0 + 10_000),
                            tuple(LogCounts.PATTERN_COUNT, "{pattern=oom-killed}", 3.0, T0 + 10_000));
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void processElement_lateOccurrence_isDropped() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new WindowedCountFunction(10_000),
                TelemetryPoint::getSeriesKey, Types.STRING)) {
            harness.processWatermark(T0 + 30_000);
            TelemetryPoint late = occurrences(log(T0, "x")).get(0);
            harness.processElement(new StreamRecord<>(late, late.getTimestampMillis()));
            harness.processWatermark(T0 + 60_000);
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }
}
