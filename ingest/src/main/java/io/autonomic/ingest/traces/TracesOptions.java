package io.autonomic.ingest.traces;

import io.autonomic.ingest.IngestOptions;
import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.schemas.Option;
import java.time.Duration;
import java.util.List;

/** Options of {@link TracesIngest}. */
public final class TracesOptions {

    /** The ingest job's option: the receiver writes and this pipeline reads the topic in one encoding. */
    public static final Option<OtlpEncoding> ENCODING_TRACES = IngestOptions.ENCODING_TRACES;
    public static final Option<Duration> WINDOW = Option.duration("traces.window", Duration.ofSeconds(10),
            "event-time tumbling window of the RED points and service-edge updates");
    public static final Option<Duration> OUT_OF_ORDERNESS = Option.duration("traces.out-of-orderness",
            Duration.ofSeconds(5), "how late a span may arrive (by its end time) and still count in its window");
    public static final Option<Duration> IDLENESS = Option.duration("traces.idleness", Duration.ofSeconds(30),
            "a source partition without spans for this long stops holding back the watermark");
    public static final Option<Duration> EDGE_EXPIRY = Option.duration("traces.edge-expiry", Duration.ofMinutes(15),
            "an observed caller->callee edge without calls for this long (event time) is removed with a tombstone");

    /** This pipeline's own options; the encoding is listed with the ingest job's. */
    public static final List<Option<?>> ALL = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(WINDOW, OUT_OF_ORDERNESS, IDLENESS, EDGE_EXPIRY),
            SourceRequestCounts.OPTIONS.stream()).toList();

    private TracesOptions() {
    }
}
