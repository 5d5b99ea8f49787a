package io.autonomic.ingest;

import java.util.Objects;

/**
 * Something in an otherwise readable OTLP request that produced no point: an unsupported metric, a NaN value, a
 * data point without a timestamp.
 *
 * @param reason a machine reason, one of the {@link OtlpDecodeException} constants
 * @param metric the metric name it concerns, empty when unknown
 * @param detail a human explanation
 */
public record DecodeProblem(String reason, String metric, String detail) {

    public DecodeProblem {
        Objects.requireNonNull(reason, "reason");
        metric = metric == null ? "" : metric;
        detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return reason + (metric.isEmpty() ? "" : " [" + metric + "]") + ": " + detail;
    }
}
