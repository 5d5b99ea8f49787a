package io.autonomic.schemas.flink;

import io.autonomic.schemas.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes records of an Autonomic topic; tombstones are skipped (they are deletions, not data) and anything that
 * does not decode goes to the dead-letter side output.
 */
public class DecodeAvroFunction<T extends SpecificRecord> extends ProcessFunction<KafkaRecord, T>
        implements ResultTypeQueryable<T> {

    private final Class<T> type;
    private final String stage;
    private transient AvroSerde<T> serde;
    private transient DeadLetters.Counters deadLetterCounters;

    public DecodeAvroFunction(Class<T> type, String stage) {
        this.type = type;
        this.stage = stage;
    }

    @Override
    public void open(OpenContext openContext) {
        serde = AvroSerde.of(type);
        deadLetterCounters = new DeadLetters.Counters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<T> out) {
        if (record.value == null) {
            return;
        }
        T decoded;
        try {
            decoded = serde.decode(record.value);
        } catch (RuntimeException e) {
            deadLetterCounters.inc("undecodable-avro");
            ctx.output(DeadLetters.TAG, DeadLetters.of(stage, "undecodable-avro", e.getMessage(), record,
                    ctx.timerService().currentProcessingTime()));
            return;
        }
        out.collect(decoded);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
