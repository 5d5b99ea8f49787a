package io.autonomic.ingest.logs;

import io.autonomic.ingest.OtlpDecodeException;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaRecord;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes raw OTLP Kafka records (traces or logs) with a {@link RecordDecoder}. Never throws: an empty record,
 * bytes that are not an OTLP request of the configured encoding, or a decoder bug become one dead letter (stage
 * {@value #STAGE}) with the original bytes and coordinates, counted per reason; decoded items are counted in
 * the metric named at construction.
 */
public final class DecodeOtlpFunction<T> extends ProcessFunction<KafkaRecord, T> implements ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeOtlpFunction.class);

    public static final String STAGE = "ingest";
    public static final String EMPTY_RECORD = "empty-record";
    public static final String DECODER_FAILURE = "decoder-failure";

    /**
     * Turns one record's bytes into items; {@code recordTimestamp} stands in for missing event times. A request
     * that is readable but has unusable parts returns the usable items with a problem, which dead-letters the
     * record (for the lost parts) while the items still flow.
     */
    @FunctionalInterface
    public interface RecordDecoder<T> extends Serializable {
        Decoded<T> decode(byte[] payload, long recordTimestamp) throws OtlpDecodeException;
    }

    /** Items decoded from one record, and the reason and detail of what was lost (null reason: nothing). */
    public record Decoded<T>(List<T> items, String problemReason, String problemDetail) {
        public static <T> Decoded<T> of(List<T> items) {
            return new Decoded<>(items, null, null);
        }
    }

    private final RecordDecoder<T> decoder;
    private final TypeInformation<T> producedType;
    private final String decodedMetric;
    private transient DeadLetters.Counters deadLetterCounters;
    private transient Counter decoded;

    public DecodeOtlpFunction(RecordDecoder<T> decoder, TypeInformation<T> producedType, String decodedMetric) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.producedType = Objects.requireNonNull(producedType, "producedType");
        this.decodedMetric = Objects.requireNonNull(decodedMetric, "decodedMetric");
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetterCounters = new DeadLetters.Counters(getRuntimeContext().getMetricGroup());
        decoded = getRuntimeContext().getMetricGroup().counter(decodedMetric);
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<T> out) {
        if (record.value == null || record.value.length == 0) {
            deadLetter(ctx, record, EMPTY_RECORD, "the record has no value");
            return;
        }
        Decoded<T> result;
        try {
            result = decoder.decode(record.value, record.timestamp);
        } catch (OtlpDecodeException e) {
            deadLetter(ctx, record, e.reason(), e.detail());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warn("decoder failed on {}; dead-lettering it", record, e);
            deadLetter(ctx, record, DECODER_FAILURE, e.toString());
            return;
        }
        for (T item : result.items()) {
            out.collect(item);
        }
        decoded.inc(result.items().size());
        if (result.problemReason() != null) {
            deadLetter(ctx, record, result.problemReason(), result.problemDetail());
        }
    }

    private void deadLetter(Context ctx, KafkaRecord record, String reason, String detail) {
        deadLetterCounters.inc(reason);
        ctx.output(DeadLetters.TAG, DeadLetters.of(STAGE, reason, detail, record,
                ctx.timerService().currentProcessingTime()));
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return producedType;
    }
}
