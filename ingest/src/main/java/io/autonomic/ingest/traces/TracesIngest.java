package io.autonomic.ingest.traces;

import io.autonomic.ingest.IngestJob;
import io.autonomic.ingest.logs.DecodeOtlpFunction;
import io.autonomic.schemas.Option;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.PipelineOptions;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.flink.KafkaRecord;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Traces wiring: otlp-spans records ({@link TracesOptions#ENCODING_TRACES}) are decoded into {@link SpanSample}s,
 * given event time (span end) with bounded out-of-orderness and idleness, and aggregated per window into RED points
 * on the points topic ({@link RedWindowFunction}) and into the observed dependency graph on the compacted
 * service-edges topic ({@link ServiceEdgeFunction}), and per-source request counts of server spans
 * ({@link SourceRequestCounts}) on the points topic. Dead letters go to the dead-letter topic.
 */
public final class TracesIngest {

    private TracesIngest() {
    }

    /** Adds the traces pipeline; its RED points and dead letters go to the ingest job's shared sinks. */
    public static IngestJob.Decoded build(StreamExecutionEnvironment env, Options options, KafkaIO kafka, Topics topics) {
        long window = positive(options, TracesOptions.WINDOW);
        long expiry = positive(options, TracesOptions.EDGE_EXPIRY);

        DataStream<KafkaRecord> records = env
                .fromSource(kafka.source(topics.otlpSpans()), WatermarkStrategy.noWatermarks(), "otlp-spans-source")
                .name("otlp-spans-source")
                .uid("ingest-otlp-spans-source");

        SingleOutputStreamOperator<SpanSample> decoded = records
                .process(new DecodeOtlpFunction<>(new OtlpSpansDecoder(options.get(TracesOptions.ENCODING_TRACES)),
                        TypeInformation.of(SpanSample.class), "decodedSpans"))
                .name("decode-otlp-spans")
                .uid("ingest-decode-otlp-spans");

        SingleOutputStreamOperator<SpanSample> timed = decoded
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<SpanSample>forBoundedOutOfOrderness(options.get(TracesOptions.OUT_OF_ORDERNESS))
                        .withTimestampAssigner((sample, previous) -> sample.timestampMillis)
                        .withIdleness(options.get(TracesOptions.IDLENESS)))
                .name("spans-watermarks")
                .uid("ingest-spans-watermarks");

        DataStream<TelemetryPoint> redPoints = timed.keyBy(SpanSample::redKey)
                .process(new RedWindowFunction(window))
                .name("red-windows")
                .uid("ingest-red-windows");

        DataStream<TelemetryPoint> sourceCounts = timed.filter(SourceRequestCounts::namesItsClient)
                .name("client-spans")
                .uid("ingest-client-spans")
                .keyBy(sample -> sample.resource.getId())
                .process(new SourceRequestCounts(window, options.get(SourceRequestCounts.PREFIX_V4),
                        options.get(SourceRequestCounts.PREFIX_V6), options.get(SourceRequestCounts.TOP_NETWORKS),
                        SourceRequestCounts.patterns(options.get(SourceRequestCounts.BAD_USER_AGENTS))))
                .name("source-request-counts")
                .uid("ingest-source-request-counts");

        timed.filter(sample -> sample.role == SpanSample.Role.EDGE)
                .name("edge-spans")
                .uid("ingest-edge-spans")
                .keyBy(SpanSample::edgeKey)
                .process(new ServiceEdgeFunction(window, expiry))
                .name("service-edges")
                .uid("ingest-service-edges")
                .sinkTo(edgeSink(options, topics))
                .name("service-edges-sink")
                .uid("ingest-service-edges-sink");
        return new IngestJob.Decoded(redPoints.union(sourceCounts), decoded.getSideOutput(DeadLetters.TAG));
    }

    /** Like {@link KafkaIO#sink}, but able to write tombstones (null values) for expired edges. */
    private static KafkaSink<EdgeUpdate> edgeSink(Options options, Topics topics) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", String.valueOf(Duration.ofMinutes(10).toMillis()));
        producer.setProperty("linger.ms", "5");
        boolean exactlyOnce = options.get(PipelineOptions.DELIVERY) == PipelineOptions.DeliveryGuarantee.EXACTLY_ONCE;
        return KafkaSink.<EdgeUpdate>builder()
                .setBootstrapServers(options.require(PipelineOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(new ServiceEdgeSerializer(topics.serviceEdges().name()))
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(options.get(PipelineOptions.GROUP_ID_PREFIX) + "-ingest-traces-"
                        + topics.serviceEdges().id())
                .setKafkaProducerConfig(producer)
                .build();
    }

    private static long positive(Options options, Option<Duration> option) {
        Duration value = options.get(option);
        if (value.isZero() || value.isNegative()) {
            throw new OptionException("--" + option.name() + " must be positive, was " + value);
        }
        return value.toMillis();
    }
}
