package io.autonomic.ingest.logs;

import io.autonomic.ingest.ResourceIdentity;
import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

/**
 * One mined log event to the occurrences {@link WindowedCountFunction} counts: {@value #TEMPLATE_COUNT}
 * {template.id}, {@value #RECORDS} {severity}, and {@value #PATTERN_COUNT} {pattern} for each recognized pattern,
 * all on the log's resource.
 */
public final class LogCounts implements FlatMapFunction<LogEvent, TelemetryPoint>, ResultTypeQueryable<TelemetryPoint> {

    private static final long serialVersionUID = 1L;
    public static final String TEMPLATE_COUNT = "log.template.count";
    public static final String RECORDS = "log.records";
    public static final String PATTERN_COUNT = "log.pattern.count";
    public static final String SCOPE = "autonomic.logs";

    @Override
    public void flatMap(LogEvent event, Collector<TelemetryPoint> out) {
        out.collect(occurrence(event, TEMPLATE_COUNT, Map.of("template.id", event.getTemplateId())));
        out.collect(occurrence(event, RECORDS, Map.of("severity", OtlpLogsDecoder.severityBucket(event))));
        for (String pattern : event.getPatterns()) {
            out.collect(occurrence(event, PATTERN_COUNT, Map.of("pattern", pattern)));
        }
    }

    private static TelemetryPoint occurrence(LogEvent event, String metric, Map<String, String> attributes) {
        String resourceId = event.getResource().getId();
        return TelemetryPoint.newBuilder()
                .setResource(event.getResource())
                .setMetric(metric)
                .setUnit("{records}")
                .setType(MetricType.SUM)
                .setTemporality(Temporality.DELTA)
                .setMonotonic(true)
                .setAttributes(attributes)
                .setSeriesKey(ResourceIdentity.seriesKey(resourceId, metric, attributes))
                .setTimestampMillis(event.getTimestampMillis())
                .setValue(1.0)
                .setScope(SCOPE)
                .build();
    }

    @Override
    public TypeInformation<TelemetryPoint> getProducedType() {
        return TypeInformation.of(TelemetryPoint.class);
    }
}
