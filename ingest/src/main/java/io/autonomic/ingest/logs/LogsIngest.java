package io.autonomic.ingest.logs;

import io.autonomic.ingest.IngestJob;
import io.autonomic.schemas.OptionException;
import io.autonomic.schemas.Options;
import io.autonomic.schemas.Topics;
import io.autonomic.schemas.avro.LogEvent;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.flink.DeadLetters;
import io.autonomic.schemas.flink.KafkaIO;
import io.autonomic.schemas.flink.KafkaRecord;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Logs wiring: otlp-logs records ({@link LogsOptions#ENCODING_LOGS}) are decoded into {@link LogEvent}s, mined per
 * service ({@link LogMinerFunction}), written to the log-events topic keyed by resource id, and counted per
 * event-time window into {@code log.template.count}, {@code log.records} and {@code log.pattern.count} points on
 * the points topic. Dead letters go to the dead-letter topic.
 */
public final class LogsIngest {

    private LogsIngest() {
    }

    /** Adds the logs pipeline; its count points and dead letters go to the ingest job's shared sinks. */
    public static IngestJob.Decoded build(StreamExecutionEnvironment env, Options options, KafkaIO kafka, Topics topics) {
        Duration window = options.get(LogsOptions.WINDOW);
        if (window.isZero() || window.isNegative()) {
            throw new OptionException("--" + LogsOptions.WINDOW.name() + " must be positive");
        }
        MinerConfig minerConfig;
        try {
            minerConfig = new MinerConfig(MinerConfig.DEFAULT.treeDepth(), options.get(LogsOptions.SIMILARITY),
                    MinerConfig.DEFAULT.maxChildren(), options.get(LogsOptions.MAX_TEMPLATES), MinerConfig.DEFAULT_MASKS, false);
        } catch (IllegalArgumentException e) {
            throw new OptionException("--" + LogsOptions.SIMILARITY.name() + "/--" + LogsOptions.MAX_TEMPLATES.name()
                    + ": " + e.getMessage());
        }

        DataStream<KafkaRecord> records = env
                .fromSource(kafka.source(topics.otlpLogs()), WatermarkStrategy.noWatermarks(), "otlp-logs-source")
                .name("otlp-logs-source")
                .uid("ingest-otlp-logs-source");

        SingleOutputStreamOperator<LogEvent> decoded = records
                .process(new DecodeOtlpFunction<>(new OtlpLogsDecoder(options.get(LogsOptions.ENCODING_LOGS)),
                        TypeInformation.of(LogEvent.class), "decodedLogRecords"))
                .name("decode-otlp-logs")
                .uid("ingest-decode-otlp-logs");

        SingleOutputStreamOperator<LogEvent> mined = decoded
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<LogEvent>forBoundedOutOfOrderness(options.get(LogsOptions.OUT_OF_ORDERNESS))
                        .withTimestampAssigner((event, previous) -> event.getTimestampMillis())
                        .withIdleness(options.get(LogsOptions.IDLENESS)))
                .name("logs-watermarks")
                .uid("ingest-logs-watermarks")
                .keyBy(LogsIngest::minerKey)
                .process(new LogMinerFunction(minerConfig))
                .name("mine-log-templates")
                .uid("ingest-mine-log-templates");

        mined.sinkTo(kafka.sink(topics.logEvents(), LogEvent.class, event -> event.getResource().getId()))
                .name("log-events-sink")
                .uid("ingest-log-events-sink");

        DataStream<TelemetryPoint> counts = mined
                .flatMap(new LogCounts())
                .name("log-count-occurrences")
                .uid("ingest-log-count-occurrences")
                .keyBy(TelemetryPoint::getSeriesKey)
                .process(new WindowedCountFunction(window.toMillis()))
                .name("log-count-windows")
                .uid("ingest-log-count-windows");

        return new IngestJob.Decoded(counts, decoded.getSideOutput(DeadLetters.TAG));
    }

    /** Templates are mined per service: instances of one service share their templates and ids. */
    static String minerKey(LogEvent event) {
        String service = event.getResource().getService();
        return service == null || service.isEmpty() ? event.getResource().getId() : service;
    }
}
