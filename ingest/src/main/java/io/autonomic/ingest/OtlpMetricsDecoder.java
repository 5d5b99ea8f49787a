package io.autonomic.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.autonomic.schemas.avro.Exemplar;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.Temporality;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a serialized OTLP {@code ExportMetricsServiceRequest}, byte for byte as the OpenTelemetry Collector's
 * Kafka exporter writes it ({@code encoding: otlp_proto}, one request per message) and as SDKs post it to
 * {@code /v1/metrics}, into normalized {@link TelemetryPoint}s. Pure: no I/O, no clock, no Flink; thread-safe.
 *
 * <p>What each metric type becomes (every point keeps the metric's unit, its type, and the instrumentation scope
 * name as {@code scope}):
 * <ul>
 *   <li>Gauge: one point per data point, temporality {@code UNSPECIFIED}.</li>
 *   <li>Sum: one point per data point with the sum's temporality and {@code is_monotonic}.</li>
 *   <li>Histogram: {@code <name>.count} (monotonic), {@code <name>.sum} when the sum is set,
 *       {@code <name>.mean} = sum / count when the sum is set and count &gt; 0, with the histogram's temporality,
 *       and {@code <name>.p50}, {@code .p95}, {@code .p99} estimated from the buckets by {@link BucketPercentiles}
 *       when count &gt; 0 (over the point's interval: since the start for cumulative, the last interval for
 *       delta histograms).</li>
 *   <li>ExponentialHistogram: {@code <name>.count} (monotonic), {@code <name>.sum} when set, and the same
 *       three percentiles from the exponential buckets.</li>
 *   <li>Summary: {@code <name>.count} (monotonic) and {@code <name>.sum}, both {@code CUMULATIVE} as the OTLP
 *       specification defines them, and one {@code <name>} point per quantile with the point attribute
 *       {@code quantile} (e.g. {@code 0.99}; whole numbers without a fraction, {@code 1} not {@code 1.0}).</li>
 * </ul>
 * Exemplars of a gauge, sum or histogram data point travel as trace links ({@code exemplars}: hex trace and span
 * id, value, time) on every point derived from it. Timestamps are Unix milliseconds (nanoseconds divided down). Data points flagged
 * {@code FLAG_NO_RECORDED_VALUE} carry no value by definition (they mark a series as stale) and are skipped
 * without a problem.
 *
 * <p>Errors: bytes that are not a request, and a request without any metric, fail the whole record with an
 * {@link OtlpDecodeException}. Within a readable request, a metric without data (an unknown type), a metric
 * without a name, a data point without a timestamp or value, and NaN or infinite values cost only those points:
 * {@link #decodeWithProblems} returns the rest together with a {@link DecodeProblem} for each, so the caller can
 * keep the good points and still dead-letter the record.
 */
public final class OtlpMetricsDecoder {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Parses the bytes of a protobuf request, failing with reason {@code malformed-protobuf}. */
    public static ExportMetricsServiceRequest parse(byte[] bytes) throws OtlpDecodeException {
        return parse(bytes, OtlpEncoding.OTLP_PROTO);
    }

    /**
     * Parses a request in either encoding, failing with reason {@code malformed-protobuf} or
     * {@code malformed-json}.
     */
    public static ExportMetricsServiceRequest parse(byte[] bytes, OtlpEncoding encoding) throws OtlpDecodeException {
        if (bytes == null) {
            throw new OtlpDecodeException(OtlpDecodeException.EMPTY_REQUEST, "no bytes");
        }
        try {
            return encoding.parseMetrics(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException(encoding == OtlpEncoding.OTLP_PROTO ? OtlpDecodeException.MALFORMED_PROTOBUF
                    : OtlpDecodeException.MALFORMED_JSON,
                    "not an OTLP ExportMetricsServiceRequest in " + encoding.kafkaName() + " (" + bytes.length
                            + " bytes): " + e.getMessage(), e);
        }
    }

    /**
     * Strict decoding: all points, or an {@link OtlpDecodeException} naming the first problem (its detail
     * summarizes all of them).
     */
    public List<TelemetryPoint> decode(byte[] exportMetricsServiceRequestBytes) throws OtlpDecodeException {
        DecodeResult result = decodeWithProblems(exportMetricsServiceRequestBytes);
        if (result.hasProblems()) {
            throw new OtlpDecodeException(result.firstReason(), result.problemSummary());
        }
        return result.points();
    }

    /** Decodes what can be decoded and reports the rest; throws only when the record as a whole is unusable. */
    public DecodeResult decodeWithProblems(byte[] exportMetricsServiceRequestBytes) throws OtlpDecodeException {
        return decodeWithProblems(parse(exportMetricsServiceRequestBytes));
    }

    /** As {@link #decodeWithProblems(byte[])}, for bytes in the given encoding. */
    public DecodeResult decodeWithProblems(byte[] payload, OtlpEncoding encoding) throws OtlpDecodeException {
        return decodeWithProblems(parse(payload, encoding));
    }

    /** As {@link #decodeWithProblems(byte[])}, for an already parsed request. */
    public DecodeResult decodeWithProblems(ExportMetricsServiceRequest request) throws OtlpDecodeException {
        Collector collector = new Collector();
        int metrics = 0;
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Resource resource = ResourceIdentity.resolve(
                    AttributeValues.flatten(resourceMetrics.getResource().getAttributesList()));
            for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
                String scope = scopeMetrics.getScope().getName();
                for (Metric metric : scopeMetrics.getMetricsList()) {
                    metrics++;
                    collector.metric(resource, scope, metric);
                }
            }
        }
        if (metrics == 0) {
            throw new OtlpDecodeException(OtlpDecodeException.EMPTY_REQUEST,
                    "the request holds no metrics (" + request.getResourceMetricsCount() + " resource entries)");
        }
        return new DecodeResult(collector.points, collector.problems);
    }

    /** The points and problems of one request, and the per-type rules that produce them. */
    private static final class Collector {
        private final List<TelemetryPoint> points = new ArrayList<>();
        private final List<DecodeProblem> problems = new ArrayList<>();

        void metric(Resource resource, String scope, Metric metric) {
            String name = metric.getName();
            if (name.isBlank()) {
                problems.add(new DecodeProblem(OtlpDecodeException.MISSING_METRIC_NAME, "",
                        "a metric of type " + metric.getDataCase() + " has no name"));
                return;
            }
            Template template = new Template(resource, scope, name, metric.getUnit());
            switch (metric.getDataCase()) {
                case GAUGE -> {
                    for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
                        number(template.typed(MetricType.GAUGE, Temporality.UNSPECIFIED, false), point);
                    }
                }
                case SUM -> {
                    Template sum = template.typed(MetricType.SUM,
                            temporality(metric.getSum().getAggregationTemporality()), metric.getSum().getIsMonotonic());
                    for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
                        number(sum, point);
                    }
                }
                case HISTOGRAM -> {
                    Temporality temporality = temporality(metric.getHistogram().getAggregationTemporality());
                    for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
                        histogram(template, temporality, point);
                    }
                }
                case EXPONENTIAL_HISTOGRAM -> {
                    Temporality temporality = temporality(metric.getExponentialHistogram().getAggregationTemporality());
                    for (ExponentialHistogramDataPoint point : metric.getExponentialHistogram().getDataPointsList()) {
                        exponentialHistogram(template, temporality, point);
                    }
                }
                case SUMMARY -> {
                    for (SummaryDataPoint point : metric.getSummary().getDataPointsList()) {
                        summary(template, point);
                    }
                }
                case DATA_NOT_SET -> problems.add(new DecodeProblem(OtlpDecodeException.UNSUPPORTED_METRIC_TYPE, name,
                        "the metric has no gauge, sum, histogram, exponential histogram or summary data"
                                + (metric.getUnknownFields().asMap().isEmpty() ? ""
                                : " (unknown fields " + metric.getUnknownFields().asMap().keySet() + ")")));
            }
        }

        private void number(Template template, NumberDataPoint point) {
            if (noRecordedValue(point.getFlags())) {
                return;
            }
            if (!hasTimestamp(template.metric, point.getTimeUnixNano())) {
                return;
            }
            double value;
            switch (point.getValueCase()) {
                case AS_DOUBLE -> value = point.getAsDouble();
                case AS_INT -> value = point.getAsInt();
                default -> {
                    problems.add(new DecodeProblem(OtlpDecodeException.MISSING_VALUE, template.metric,
                            "a data point has neither as_double nor as_int"));
                    return;
                }
            }
            emit(template, template.metric, AttributeValues.flatten(point.getAttributesList()),
                    point.getTimeUnixNano(), point.getStartTimeUnixNano(), value, exemplars(point.getExemplarsList()));
        }

        private void histogram(Template template, Temporality temporality, HistogramDataPoint point) {
            if (noRecordedValue(point.getFlags()) || !hasTimestamp(template.metric, point.getTimeUnixNano())) {
                return;
            }
            Map<String, String> attributes = AttributeValues.flatten(point.getAttributesList());
            List<Exemplar> exemplars = exemplars(point.getExemplarsList());
            double count = unsignedToDouble(point.getCount());
            long time = point.getTimeUnixNano();
            long start = point.getStartTimeUnixNano();
            emit(template.typed(MetricType.HISTOGRAM, temporality, true), template.metric + ".count", attributes,
                    time, start, count, exemplars);
            Template values = template.typed(MetricType.HISTOGRAM, temporality, false);
            if (point.hasSum()) {
                emit(values, template.metric + ".sum", attributes, time, start, point.getSum(), exemplars);
                if (count > 0) {
                    emit(values, template.metric + ".mean", attributes, time, start, point.getSum() / count, exemplars);
                }
            }
            if (count > 0 && point.getBucketCountsCount() > 0) {
                if (point.getBucketCountsCount() != point.getExplicitBoundsCount() + 1) {
                    problems.add(new DecodeProblem(OtlpDecodeException.INCONSISTENT_BUCKETS, template.metric,
                            point.getBucketCountsCount() + " bucket counts for " + point.getExplicitBoundsCount()
                                    + " explicit bounds; percentiles skipped"));
                    return;
                }
                double[] bounds = point.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray();
                long[] counts = point.getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
                double min = point.hasMin() ? point.getMin() : Double.NaN;
                double max = point.hasMax() ? point.getMax() : Double.NaN;
                for (BucketPercentiles.Percentile percentile : BucketPercentiles.STANDARD) {
                    double estimate = BucketPercentiles.explicit(percentile.quantile(), bounds, counts, min, max);
                    if (!Double.isNaN(estimate)) {
                        emit(values, template.metric + "." + percentile.suffix(), attributes, time, start, estimate,
                                exemplars);
                    }
                }
            }
        }

        private void exponentialHistogram(Template template, Temporality temporality, ExponentialHistogramDataPoint point) {
            if (noRecordedValue(point.getFlags()) || !hasTimestamp(template.metric, point.getTimeUnixNano())) {
                return;
            }
            Map<String, String> attributes = AttributeValues.flatten(point.getAttributesList());
            List<Exemplar> exemplars = exemplars(point.getExemplarsList());
            long time = point.getTimeUnixNano();
            long start = point.getStartTimeUnixNano();
            double count = unsignedToDouble(point.getCount());
            emit(template.typed(MetricType.EXPONENTIAL_HISTOGRAM, temporality, true), template.metric + ".count",
                    attributes, time, start, count, exemplars);
            Template values = template.typed(MetricType.EXPONENTIAL_HISTOGRAM, temporality, false);
            if (point.hasSum()) {
                emit(values, template.metric + ".sum", attributes, time, start, point.getSum(), exemplars);
            }
            if (count <= 0) {
                return;
            }
            if (point.getScale() < -10 || point.getScale() > 20) {
                problems.add(new DecodeProblem(OtlpDecodeException.INCONSISTENT_BUCKETS, template.metric,
                        "scale " + point.getScale() + " is outside [-10, 20]; percentiles skipped"));
                return;
            }
            long[] positive = point.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
            long[] negative = point.getNegative().getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
            double min = point.hasMin() ? point.getMin() : Double.NaN;
            double max = point.hasMax() ? point.getMax() : Double.NaN;
            for (BucketPercentiles.Percentile percentile : BucketPercentiles.STANDARD) {
                double estimate = BucketPercentiles.exponential(percentile.quantile(), point.getScale(),
                        point.getZeroCount(), point.getPositive().getOffset(), positive,
                        point.getNegative().getOffset(), negative, min, max);
                if (!Double.isNaN(estimate)) {
                    emit(values, template.metric + "." + percentile.suffix(), attributes, time, start, estimate,
                            exemplars);
                }
            }
        }

        private void summary(Template template, SummaryDataPoint point) {
            if (noRecordedValue(point.getFlags()) || !hasTimestamp(template.metric, point.getTimeUnixNano())) {
                return;
            }
            Map<String, String> attributes = AttributeValues.flatten(point.getAttributesList());
            long time = point.getTimeUnixNano();
            long start = point.getStartTimeUnixNano();
            emit(template.typed(MetricType.SUMMARY, Temporality.CUMULATIVE, true), template.metric + ".count",
                    attributes, time, start, unsignedToDouble(point.getCount()), List.of());
            emit(template.typed(MetricType.SUMMARY, Temporality.CUMULATIVE, false), template.metric + ".sum",
                    attributes, time, start, point.getSum(), List.of());
            Template quantiles = template.typed(MetricType.SUMMARY, Temporality.UNSPECIFIED, false);
            for (SummaryDataPoint.ValueAtQuantile quantile : point.getQuantileValuesList()) {
                Map<String, String> withQuantile = new LinkedHashMap<>(attributes);
                withQuantile.put("quantile", AttributeValues.formatDouble(quantile.getQuantile()));
                emit(quantiles, template.metric, AttributeValues.sorted(withQuantile), time, start, quantile.getValue(),
                        List.of());
            }
        }

        private boolean hasTimestamp(String metric, long timeUnixNano) {
            if (timeUnixNano != 0) {
                return true;
            }
            problems.add(new DecodeProblem(OtlpDecodeException.MISSING_TIMESTAMP, metric,
                    "a data point has time_unix_nano = 0"));
            return false;
        }

        private void emit(Template template, String metric, Map<String, String> attributes, long timeUnixNano,
                long startTimeUnixNano, double value, List<Exemplar> exemplars) {
            if (!Double.isFinite(value)) {
                problems.add(new DecodeProblem(OtlpDecodeException.NON_FINITE_VALUE, metric,
                        "value " + value + " skipped" + (attributes.isEmpty() ? "" : " for " + attributes)));
                return;
            }
            points.add(TelemetryPoint.newBuilder()
                    .setResource(template.resource)
                    .setMetric(metric)
                    .setUnit(template.unit)
                    .setType(template.type)
                    .setTemporality(template.temporality)
                    .setMonotonic(template.monotonic)
                    .setAttributes(attributes)
                    .setSeriesKey(ResourceIdentity.seriesKey(template.resource.getId(), metric, attributes))
                    .setTimestampMillis(Long.divideUnsigned(timeUnixNano, NANOS_PER_MILLI))
                    .setStartTimestampMillis(Long.divideUnsigned(startTimeUnixNano, NANOS_PER_MILLI))
                    .setValue(value)
                    .setScope(template.scope)
                    .setExemplars(exemplars)
                    .build());
        }
    }

    /** The fields one metric's points share. */
    private record Template(Resource resource, String scope, String metric, String unit, MetricType type,
            Temporality temporality, boolean monotonic) {

        Template(Resource resource, String scope, String metric, String unit) {
            this(resource, scope, metric, unit, MetricType.UNKNOWN, Temporality.UNSPECIFIED, false);
        }

        Template typed(MetricType newType, Temporality newTemporality, boolean newMonotonic) {
            return new Template(resource, scope, metric, unit, newType, newTemporality, newMonotonic);
        }
    }

    /** OTLP exemplars as trace links; ids become lowercase hex, as OTLP/JSON writes them. */
    static List<Exemplar> exemplars(List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars) {
        if (exemplars.isEmpty()) {
            return List.of();
        }
        List<Exemplar> links = new ArrayList<>(exemplars.size());
        for (io.opentelemetry.proto.metrics.v1.Exemplar exemplar : exemplars) {
            double value = switch (exemplar.getValueCase()) {
                case AS_DOUBLE -> exemplar.getAsDouble();
                case AS_INT -> exemplar.getAsInt();
                default -> Double.NaN;
            };
            links.add(Exemplar.newBuilder()
                    .setTraceId(HexFormat.of().formatHex(exemplar.getTraceId().toByteArray()))
                    .setSpanId(HexFormat.of().formatHex(exemplar.getSpanId().toByteArray()))
                    .setValue(value)
                    .setTimestampMillis(Long.divideUnsigned(exemplar.getTimeUnixNano(), NANOS_PER_MILLI))
                    .build());
        }
        return links;
    }

    private static Temporality temporality(AggregationTemporality temporality) {
        return switch (temporality) {
            case AGGREGATION_TEMPORALITY_DELTA -> Temporality.DELTA;
            case AGGREGATION_TEMPORALITY_CUMULATIVE -> Temporality.CUMULATIVE;
            default -> Temporality.UNSPECIFIED;
        };
    }

    private static boolean noRecordedValue(int flags) {
        return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
    }

    /** OTLP counts are fixed64, i.e. unsigned. */
    private static double unsignedToDouble(long value) {
        return value >= 0 ? value : ((value >>> 1) | (value & 1)) * 2.0;
    }
}
