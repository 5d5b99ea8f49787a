package io.autonomic.ingest;

import java.util.Objects;

/**
 * An OTLP payload, or part of one, that cannot become telemetry points. {@link #reason()} is a short machine
 * reason that becomes the dead letter's reason and a counter name; {@link #detail()} is for humans.
 */
public final class OtlpDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The bytes are not a protobuf ExportMetricsServiceRequest. */
    public static final String MALFORMED_PROTOBUF = "malformed-protobuf";
    /** The bytes are not an OTLP/JSON export request. */
    public static final String MALFORMED_JSON = "malformed-json";
    /** A histogram whose bucket counts do not match its bounds (or scale); its percentiles are skipped. */
    public static final String INCONSISTENT_BUCKETS = "inconsistent-buckets";
    /** The request parsed but holds no metrics at all. */
    public static final String EMPTY_REQUEST = "empty-request";
    /** A metric whose data case is not set (or is a type this decoder does not know). */
    public static final String UNSUPPORTED_METRIC_TYPE = "unsupported-metric-type";
    /** A data point with time_unix_nano = 0. */
    public static final String MISSING_TIMESTAMP = "missing-timestamp";
    /** A number data point with neither as_double nor as_int. */
    public static final String MISSING_VALUE = "missing-value";
    /** A metric with an empty name. */
    public static final String MISSING_METRIC_NAME = "missing-metric-name";
    /** A NaN or infinite value; such points are skipped. */
    public static final String NON_FINITE_VALUE = "non-finite-value";

    private final String reason;
    private final String detail;

    public OtlpDecodeException(String reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail);
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
    }

    public OtlpDecodeException(String reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    public String reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
