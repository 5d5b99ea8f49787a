package io.autonomic.ingest.traces;

import io.autonomic.ingest.OtlpEncoding;
import io.autonomic.schemas.Option;
import java.time.Duration;
import java.util.List;

/** Options of {@link TracesIngest}. */
public final class TracesOptions {

    /** Also declared by the ingest job's options under the same name; one value configures both. */
    public static final Option<OtlpEncoding> ENCODING_TRACES = Option.enumeration("encoding.traces", OtlpEncoding.class,
            OtlpEncoding.OTLP_PROTO, "payload encoding of the otlp-spans topic: otlp_proto or otlp_json");
    public static final Option<Duration> WINDOW = Option.duration("traces.window", Duration.ofSeconds(10),
            "event-time tumbling window of the RED points and service-edge updates");
    public static final Option<Duration> OUT_OF_ORDERNESS = Option.duration("traces.out-of-orderness",
            Duration.ofSeconds(5), "how late a span may arrive (by its end time) and still count in its window");
    public static final Option<Duration> IDLENESS = Option.duration("traces.idleness", Duration.ofSeconds(30),
            "a source partition without spans for this long stops holding back the watermark");
    public static final Option<Duration> EDGE_EXPIRY = Option.duration("traces.edge-expiry", Duration.ofMinutes(15),
            "an observed caller->callee edge without calls for this long (event time) is removed with a tombstone");

    public static final List<Option<?>> ALL = List.of(ENCODING_TRACES, WINDOW, OUT_OF_ORDERNESS, IDLENESS, EDGE_EXPIRY);

    private TracesOptions() {
    }
}
