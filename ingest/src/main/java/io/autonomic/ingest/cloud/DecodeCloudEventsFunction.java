package io.autonomic.ingest.cloud;

import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud-events records (EventBridge JSON) in, {@link TelemetryPoint}s out, via {@link CloudEventNormalizer}. Never
 * throws: unreadable or unsupported events become dead letters (stage {@value #STAGE}) with the original bytes,
 * counted per reason.
 */
public final class DecodeCloudEventsFunction extends ProcessFunction<KafkaRecord, TelemetryPoint>
        implements ResultTypeQueryable<TelemetryPoint> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeCloudEventsFunction.class);

    public static final String STAGE = "ingest-cloud-events";
    public static final String EMPTY_RECORD = "empty-record";
    public static final String DECODER_FAILURE = "decoder-failure";

    private transient CloudEventNormalizer normalizer;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient Counter decodedPoints;

    @Override
    public void open(OpenContext openContext) {
        normalizer = new CloudEventNormalizer();
        deadLetterCounters = new DeadLetters.Counters(getRuntimeContext().getMetricGroup());
        decodedPoints = getRuntimeContext().getMetricGroup().counter("decodedCloudEventPoints");
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<TelemetryPoint> out) {
        if (record.value == null || record.value.length == 0) {
            deadLetter(ctx, record, EMPTY_RECORD, "the record has no value");
            return;
        }
        try {
            for (TelemetryPoint point : normalizer.normalize(record.value)) {
                out.collect(point);
                decodedPoints.inc();
            }
        } catch (CloudEventException e) {
            deadLetter(ctx, record, e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("cloud event normalizer failed on {}; dead-lettering it", record, e);
            deadLetter(ctx, record, DECODER_FAILURE, e.toString());
        }
    }

    private void deadLetter(Context ctx, KafkaRecord record, String reason, String detail) {
        deadLetterCounters.inc(reason);
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, detail, record,
                ctx.timerService().currentProcessingTime()));
    }

    @Override
    public TypeInformation<TelemetryPoint> getProducedType() {
        return TypeInformation.of(TelemetryPoint.class);
    }
}
