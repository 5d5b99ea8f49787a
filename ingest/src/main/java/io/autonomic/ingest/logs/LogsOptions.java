package io.autonomic.ingest.logs;

import io.autonomic.ingest.IngestOptions;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.schemas.Option;
import java.time.Duration;
import java.util.List;

/** Options of {@link LogsIngest}. */
public final class LogsOptions {

    /** The ingest job's option: the receiver writes and this pipeline reads the topic in one encoding. */
    public static final Option<OtlpEncoding> ENCODING_LOGS = IngestOptions.ENCODING_LOGS;
    public static final Option<Duration> WINDOW = Option.duration("logs.window", Duration.ofSeconds(10),
            "event-time tumbling window of the log count points");
    public static final Option<Duration> OUT_OF_ORDERNESS = Option.duration("logs.out-of-orderness",
            Duration.ofSeconds(5), "how late a log record may arrive and still count in its window");
    public static final Option<Duration> IDLENESS = Option.duration("logs.idleness", Duration.ofSeconds(30),
            "a source partition without records for this long stops holding back the watermark");
    public static final Option<Integer> MAX_TEMPLATES = Option.integer("logs.max-templates", 1_000,
            "templates kept per service; further new shapes count under the 'overflow' template");
    public static final Option<Double> SIMILARITY = Option.decimal("logs.similarity", 0.5,
            "Drain similarity threshold: share of equal tokens for a line to join a template");

    /** This pipeline's own options; the encoding is listed with the ingest job's. */
    public static final List<Option<?>> ALL = List.of(WINDOW, OUT_OF_ORDERNESS, IDLENESS, MAX_TEMPLATES,
            SIMILARITY);

    private LogsOptions() {
    }
}
