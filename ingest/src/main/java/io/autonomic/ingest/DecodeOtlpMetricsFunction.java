package io.autonomic.ingest;

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
import java.util.Objects;

/**
 * Turns raw otlp_metrics records, in the topic's {@link OtlpEncoding}, into {@link TelemetryPoint}s. Never throws: an empty record, bytes that are not
 * an OTLP request, or a request with unusable parts become one dead letter ({@link DeadLetters#TAG}, stage
 * {@value #STAGE}) carrying the original bytes and coordinates, counted per reason; the usable points of a
 * partly bad request are still emitted.
 */
public final class DecodeOtlpMetricsFunction extends ProcessFunction<KafkaRecord, TelemetryPoint>
        implements ResultTypeQueryable<TelemetryPoint> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeOtlpMetricsFunction.class);

    public static final String STAGE = "ingest";
    public static final String EMPTY_RECORD = "empty-record";
    /** A bug in the decoder rather than in the data; the record is kept so it can be replayed after a fix. */
    public static final String DECODER_FAILURE = "decoder-failure";

    private final OtlpEncoding encoding;
    private transient OtlpMetricsDecoder decoder;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient Counter decodedPoints;

    /** Reads {@code otlp_proto} records, the kafka exporter's default. */
    public DecodeOtlpMetricsFunction() {
        this(OtlpEncoding.OTLP_PROTO);
    }

    /** Reads records in the topic's configured encoding. */
    public DecodeOtlpMetricsFunction(OtlpEncoding encoding) {
        this.encoding = Objects.requireNonNull(encoding, "encoding");
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new OtlpMetricsDecoder();
        deadLetterCounters = new DeadLetters.Counters(getRuntimeContext().getMetricGroup());
        decodedPoints = getRuntimeContext().getMetricGroup().counter("decodedPoints");
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<TelemetryPoint> out) {
        if (record.value == null || record.value.length == 0) {
            deadLetter(ctx, record, EMPTY_RECORD, "the record has no value");
            return;
        }
        DecodeResult result;
        try {
            result = decoder.decodeWithProblems(record.value, encoding);
        } catch (OtlpDecodeException e) {
            deadLetter(ctx, record, e.reason(), e.detail());
            return;
        } catch (RuntimeException e) {
            LOG.warn("decoder failed on {}; dead-lettering it", record, e);
            deadLetter(ctx, record, DECODER_FAILURE, e.toString());
            return;
        }
        for (TelemetryPoint point : result.points()) {
            out.collect(point);
        }
        decodedPoints.inc(result.points().size());
        if (result.hasProblems()) {
            deadLetter(ctx, record, result.firstReason(), result.problemSummary());
        }
    }

    private void deadLetter(Context ctx, KafkaRecord record, String reason, String detail) {
        deadLetterCounters.inc(reason);
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, detail, record,
                ctx.timerService().currentProcessingTime()));
    }

    /** Points emitted so far by this instance (the {@code decodedPoints} metric). */
    long decodedPointCount() {
        return decodedPoints.getCount();
    }

    @Override
    public TypeInformation<TelemetryPoint> getProducedType() {
        return TypeInformation.of(TelemetryPoint.class);
    }
}
