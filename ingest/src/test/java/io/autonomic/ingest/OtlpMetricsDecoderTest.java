package io.autonomic.ingest;

import static io.autonomic.ingest.OtlpRequests.NOW;
import static io.autonomic.ingest.OtlpRequests.NOW_NANOS;
import static io.autonomic.ingest.OtlpRequests.SCOPE;
import static io.autonomic.ingest.OtlpRequests.START;
import static io.autonomic.ingest.OtlpRequests.START_NANOS;
import static io.autonomic.ingest.OtlpRequests.attr;
import static io.autonomic.ingest.OtlpRequests.checkoutOnHost1;
import static io.autonomic.ingest.OtlpRequests.doublePoint;
import static io.autonomic.ingest.OtlpRequests.gauge;
import static io.autonomic.ingest.OtlpRequests.intPoint;
import static io.autonomic.ingest.OtlpRequests.request;
import static io.autonomic.ingest.OtlpRequests.resource;
import static io.autonomic.ingest.OtlpRequests.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.Temporality;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpMetricsDecoderTest {

    private final OtlpMetricsDecoder decoder = new OtlpMetricsDecoder();

    @Test
    void decode_doubleGauge_producesOnePointWithResourceScopeUnitAndTimestamps() throws Exception {
        byte[] bytes = request(checkoutOnHost1(), gauge("process.cpu.utilization", doublePoint(0.75, attr("cpu", "0"))))
                .toByteArray();

        List<TelemetryPoint> points = decoder.decode(bytes);

        assertThat(points).hasSize(1);
        TelemetryPoint point = points.get(0);
        assertThat(point.getMetric()).isEqualTo("process.cpu.utilization");
        assertThat(point.getValue()).isEqualTo(0.75);
        assertThat(point.getType()).isEqualTo(MetricType.GAUGE);
        assertThat(point.getTemporality()).isEqualTo(Temporality.UNSPECIFIED);
        assertThat(point.getMonotonic()).isFalse();
        assertThat(point.getUnit()).isEqualTo("1");
        assertThat(point.getScope()).isEqualTo(SCOPE);
        assertThat(point.getTimestampMillis()).isEqualTo(NOW.toEpochMilli());
        assertThat(point.getStartTimestampMillis()).isEqualTo(START.toEpochMilli());
        assertThat(point.getAttributes()).containsExactly(Map.entry("cpu", "0"));
        assertThat(point.getResource().getId()).isEqualTo("process:host-1/checkout");
        assertThat(point.getResource().getKind()).isEqualTo(ResourceKind.HOST_PROCESS);
        assertThat(point.getResource().getService()).isEqualTo("checkout");
        assertThat(point.getResource().getAttributes())
                .containsExactly(Map.entry("host.name", "host-1"), Map.entry("service.name", "checkout"));
        assertThat(point.getSeriesKey()).isEqualTo("process:host-1/checkout|process.cpu.utilization{cpu=0}");
    }

    @Test
    void decode_intGauge_convertsToDouble() throws Exception {
        byte[] bytes = request(checkoutOnHost1(), gauge("queue.depth", intPoint(42))).toByteArray();

        assertThat(decoder.decode(bytes)).singleElement()
                .satisfies(p -> assertThat(p.getValue()).isEqualTo(42.0))
                .satisfies(p -> assertThat(p.getSeriesKey()).isEqualTo("process:host-1/checkout|queue.depth{}"));
    }

    @Test
    void decode_sums_keepTemporalityAndMonotonicity() throws Exception {
        byte[] bytes = request(checkoutOnHost1(),
                sum("http.requests", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true,
                        intPoint(120, attr("route", "/pay")), intPoint(7, attr("route", "/cart"))),
                sum("queue.delta", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, false, doublePoint(-2.5)))
                .toByteArray();

        List<TelemetryPoint> points = decoder.decode(bytes);

        assertThat(points)
                .extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue, TelemetryPoint::getType,
                        TelemetryPoint::getTemporality, TelemetryPoint::getMonotonic, TelemetryPoint::getUnit)
                .containsExactly(
                        tuple("http.requests", 120.0, MetricType.SUM, Temporality.CUMULATIVE, true, "{request}"),
                        tuple("http.requests", 7.0, MetricType.SUM, Temporality.CUMULATIVE, true, "{request}"),
                        tuple("queue.delta", -2.5, MetricType.SUM, Temporality.DELTA, false, "{request}"));
        assertThat(points).extracting(TelemetryPoint::getSeriesKey).containsExactly(
                "process:host-1/checkout|http.requests{route=/pay}",
                "process:host-1/checkout|http.requests{route=/cart}",
                "process:host-1/checkout|queue.delta{}");
    }

    @Test
    void decode_histogram_emitsCountSumMeanAndPercentiles() throws Exception {
        Metric histogram = Metric.newBuilder().setName("http.server.duration").setUnit("ms")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setTimeUnixNano(NOW_NANOS).setStartTimeUnixNano(START_NANOS)
                                .setCount(4).setSum(100.0)
                                .addAllExplicitBounds(List.of(10.0, 50.0)).addAllBucketCounts(List.of(1L, 2L, 1L))
                                .addAttributes(attr("route", "/pay"))))
                .build();

        List<TelemetryPoint> points = decoder.decode(request(checkoutOnHost1(), histogram).toByteArray());

        assertThat(points)
                .extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue, TelemetryPoint::getType,
                        TelemetryPoint::getTemporality, TelemetryPoint::getMonotonic)
                .containsExactly(
                        tuple("http.server.duration.count", 4.0, MetricType.HISTOGRAM, Temporality.DELTA, true),
                        tuple("http.server.duration.sum", 100.0, MetricType.HISTOGRAM, Temporality.DELTA, false),
                        tuple("http.server.duration.mean", 25.0, MetricType.HISTOGRAM, Temporality.DELTA, false),
                        // rank 2 of 4 is the middle of the (10, 50] bucket; ranks 3.8 and 3.96 fall in the overflow
                        // bucket, which without a recorded max answers its lower bound
                        tuple("http.server.duration.p50", 30.0, MetricType.HISTOGRAM, Temporality.DELTA, false),
                        tuple("http.server.duration.p95", 50.0, MetricType.HISTOGRAM, Temporality.DELTA, false),
                        tuple("http.server.duration.p99", 50.0, MetricType.HISTOGRAM, Temporality.DELTA, false));
        assertThat(points).allSatisfy(p -> {
            assertThat(p.getAttributes()).containsExactly(Map.entry("route", "/pay"));
            assertThat(p.getUnit()).isEqualTo("ms");
            assertThat(p.getTimestampMillis()).isEqualTo(NOW.toEpochMilli());
        });
        assertThat(points.get(2).getSeriesKey()).isEqualTo("process:host-1/checkout|http.server.duration.mean{route=/pay}");
    }

    @Test
    void decode_histogramWithZeroCountOrNoSum_omitsMeanAndSum() throws Exception {
        Metric histogram = Metric.newBuilder().setName("latency")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setCount(0).setSum(0))
                        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setCount(3)))
                .build();

        List<TelemetryPoint> points = decoder.decode(request(checkoutOnHost1(), histogram).toByteArray());

        assertThat(points).extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue).containsExactly(
                tuple("latency.count", 0.0), tuple("latency.sum", 0.0), tuple("latency.count", 3.0));
    }

    @Test
    void decode_exponentialHistogram_emitsCountSumAndPercentiles() throws Exception {
        Metric histogram = Metric.newBuilder().setName("rpc.duration")
                .setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                                .setTimeUnixNano(NOW_NANOS).setStartTimeUnixNano(START_NANOS)
                                .setCount(10).setSum(55.5).setScale(2).setZeroCount(1)
                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(0).addAllBucketCounts(List.of(4L, 5L)))))
                .build();

        List<TelemetryPoint> points = decoder.decode(request(checkoutOnHost1(), histogram).toByteArray());

        assertThat(points)
                .extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue, TelemetryPoint::getType,
                        TelemetryPoint::getTemporality, TelemetryPoint::getMonotonic)
                .containsExactly(
                        tuple("rpc.duration.count", 10.0, MetricType.EXPONENTIAL_HISTOGRAM, Temporality.CUMULATIVE, true),
                        tuple("rpc.duration.sum", 55.5, MetricType.EXPONENTIAL_HISTOGRAM, Temporality.CUMULATIVE, false),
                        tuple("rpc.duration.p50", points.get(2).getValue(), MetricType.EXPONENTIAL_HISTOGRAM,
                                Temporality.CUMULATIVE, false),
                        tuple("rpc.duration.p95", points.get(3).getValue(), MetricType.EXPONENTIAL_HISTOGRAM,
                                Temporality.CUMULATIVE, false),
                        tuple("rpc.duration.p99", points.get(4).getValue(), MetricType.EXPONENTIAL_HISTOGRAM,
                                Temporality.CUMULATIVE, false));
        // scale 2: base 2^(1/4); bucket 0 is (1, 1.1892], bucket 1 (1.1892, 1.4142]; one zero, 4 and 5 in them
        double base = Math.pow(2, 0.25);
        assertThat(points.get(2).getValue()).isCloseTo(base, within(1e-9));
        assertThat(points.get(3).getValue()).isCloseTo(base + (Math.sqrt(2) - base) * 0.9, within(1e-9));
        assertThat(points.get(4).getValue()).isCloseTo(base + (Math.sqrt(2) - base) * 0.98, within(1e-9));
    }

    @Test
    void decode_exemplars_becomeHexTraceLinksOnTheDerivedPoints() throws Exception {
        byte[] traceId = new byte[16];
        byte[] spanId = new byte[8];
        for (int i = 0; i < 16; i++) {
            traceId[i] = (byte) (0xa0 + i);
        }
        spanId[7] = 0x2f;
        io.opentelemetry.proto.metrics.v1.Exemplar exemplar = io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                .setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(spanId))
                .setAsDouble(812.5).setTimeUnixNano(NOW_NANOS - 1_000_000).build();
        Metric histogram = Metric.newBuilder().setName("latency")
                .setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setCount(1).setSum(812.5)
                                .addAllExplicitBounds(List.of(1000.0)).addAllBucketCounts(List.of(1L, 0L))
                                .addExemplars(exemplar)))
                .build();

        List<TelemetryPoint> points = decoder.decode(request(checkoutOnHost1(), histogram).toByteArray());

        assertThat(points).isNotEmpty().allSatisfy(p -> assertThat(p.getExemplars()).singleElement().satisfies(e -> {
            assertThat(e.getTraceId()).isEqualTo("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
            assertThat(e.getSpanId()).isEqualTo("000000000000002f");
            assertThat(e.getValue()).isEqualTo(812.5);
            assertThat(e.getTimestampMillis()).isEqualTo(NOW.toEpochMilli() - 1);
        }));
    }

    @Test
    void decode_otlpJson_decodesLikeProtobuf() throws Exception {
        ExportMetricsServiceRequest request = request(checkoutOnHost1(), gauge("cpu", doublePoint(0.5)));

        DecodeResult fromJson = decoder.decodeWithProblems(OtlpEncoding.OTLP_JSON.write(request), OtlpEncoding.OTLP_JSON);

        assertThat(fromJson.points()).isEqualTo(decoder.decode(request.toByteArray()));
        assertThatThrownBy(() -> decoder.decodeWithProblems("{\"resourceMetrics\": 5".getBytes(), OtlpEncoding.OTLP_JSON))
                .isInstanceOfSatisfying(OtlpDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(OtlpDecodeException.MALFORMED_JSON));
    }

    @Test
    void decode_collectorMessageInBothEncodings_sameNonRatePointsForEveryMetricType() throws Exception {
        String json = new String(CollectorMessages.everyMetricTypeJson(), java.nio.charset.StandardCharsets.UTF_8);
        // the kafka exporter's otlp_json: enums as integers, hex ids, 64-bit integers as strings
        assertThat(json).contains("\"aggregationTemporality\":1", "\"traceId\":\"" + CollectorMessages.TRACE_ID + "\"",
                "\"asInt\":\"1234\"");

        List<TelemetryPoint> fromProto = decoder.decode(CollectorMessages.everyMetricTypeProto());
        DecodeResult fromJson = decoder.decodeWithProblems(CollectorMessages.everyMetricTypeJson(), OtlpEncoding.OTLP_JSON);

        assertThat(fromJson.problems()).isEmpty();
        assertThat(fromJson.points()).isEqualTo(fromProto);
        assertThat(fromProto).extracting(TelemetryPoint::getMetric).containsExactlyElementsOf(
                CollectorMessages.EVERY_METRIC_TYPE_METRICS.stream().filter(m -> !m.endsWith(".rate")).toList());
    }

    @Test
    void decode_summary_emitsCountSumAndOnePointPerQuantile() throws Exception {
        Metric summary = Metric.newBuilder().setName("gc.pause").setUnit("s")
                .setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.newBuilder()
                                .setTimeUnixNano(NOW_NANOS).setStartTimeUnixNano(START_NANOS)
                                .setCount(20).setSum(3.5)
                                .addAttributes(attr("gc", "young"))
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.1))
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(0.8))
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(1.0).setValue(0.9))))
                .build();

        List<TelemetryPoint> points = decoder.decode(request(checkoutOnHost1(), summary).toByteArray());

        assertThat(points)
                .extracting(TelemetryPoint::getMetric, TelemetryPoint::getValue, TelemetryPoint::getTemporality,
                        TelemetryPoint::getMonotonic, TelemetryPoint::getSeriesKey)
                .containsExactly(
                        tuple("gc.pause.count", 20.0, Temporality.CUMULATIVE, true,
                                "process:host-1/checkout|gc.pause.count{gc=young}"),
                        tuple("gc.pause.sum", 3.5, Temporality.CUMULATIVE, false,
                                "process:host-1/checkout|gc.pause.sum{gc=young}"),
                        tuple("gc.pause", 0.1, Temporality.UNSPECIFIED, false,
                                "process:host-1/checkout|gc.pause{gc=young,quantile=0.5}"),
                        tuple("gc.pause", 0.8, Temporality.UNSPECIFIED, false,
                                "process:host-1/checkout|gc.pause{gc=young,quantile=0.99}"),
                        tuple("gc.pause", 0.9, Temporality.UNSPECIFIED, false,
                                "process:host-1/checkout|gc.pause{gc=young,quantile=1}"));
        assertThat(points).allSatisfy(p -> assertThat(p.getType()).isEqualTo(MetricType.SUMMARY));
        assertThat(points.get(3).getAttributes())
                .containsExactly(Map.entry("gc", "young"), Map.entry("quantile", "0.99"));
    }

    @Test
    void decode_severalResources_givesEachPointItsOwnResource() throws Exception {
        ExportMetricsServiceRequest request = request(checkoutOnHost1(), gauge("a", doublePoint(1))).toBuilder()
                .addResourceMetrics(request(resource(attr("k8s.pod.name", "cart-7d9f"), attr("k8s.namespace.name", "prod"),
                        attr("service.name", "cart")), gauge("b", doublePoint(2))).getResourceMetrics(0))
                .build();

        List<TelemetryPoint> points = decoder.decode(request.toByteArray());

        assertThat(points).extracting(p -> p.getResource().getId(), p -> p.getResource().getKind(), TelemetryPoint::getMetric)
                .containsExactly(tuple("process:host-1/checkout", ResourceKind.HOST_PROCESS, "a"),
                        tuple("k8s-pod:prod/cart-7d9f", ResourceKind.K8S_POD, "b"));
    }

    @Test
    void decode_attributeValuesOfEveryKind_flattenDeterministically() throws Exception {
        AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("a\"b"))
                .addValues(AnyValue.newBuilder().setIntValue(2))
                .addValues(AnyValue.newBuilder().setDoubleValue(Double.NaN))
                .addValues(AnyValue.newBuilder().setBoolValue(false))
                .addValues(AnyValue.getDefaultInstance())).build();
        AnyValue kvlist = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(attr("z", AnyValue.newBuilder().setDoubleValue(1.5).build()))
                .addValues(attr("a", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2})).build()))
                .addValues(attr("m", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(1))).build())))
                .build();
        byte[] bytes = request(checkoutOnHost1(), gauge("g", doublePoint(1,
                attr("s", "text"),
                attr("b", AnyValue.newBuilder().setBoolValue(true).build()),
                attr("i", AnyValue.newBuilder().setIntValue(-7).build()),
                attr("d", AnyValue.newBuilder().setDoubleValue(2.0).build()),
                attr("f", AnyValue.newBuilder().setDoubleValue(0.25).build()),
                attr("y", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()),
                attr("arr", array),
                attr("kv", kvlist),
                attr("empty", AnyValue.getDefaultInstance())))).toByteArray();

        Map<String, String> attributes = decoder.decode(bytes).get(0).getAttributes();

        assertThat(attributes).containsExactly(
                Map.entry("arr", "[\"a\\\"b\",2,\"NaN\",false,null]"),
                Map.entry("b", "true"),
                Map.entry("d", "2"),
                Map.entry("empty", ""),
                Map.entry("f", "0.25"),
                Map.entry("i", "-7"),
                Map.entry("kv", "{\"a\":\"AQI=\",\"m\":[1],\"z\":1.5}"),
                Map.entry("s", "text"),
                Map.entry("y", "aGk="));
    }

    @Test
    void decode_sameAttributesInAnotherOrder_giveTheSameSeriesKey() throws Exception {
        byte[] one = request(checkoutOnHost1(), gauge("g", doublePoint(1, attr("b", "2"), attr("a", "1")))).toByteArray();
        byte[] other = request(checkoutOnHost1(), gauge("g", doublePoint(1, attr("a", "1"), attr("b", "2")))).toByteArray();

        assertThat(decoder.decode(one).get(0).getSeriesKey())
                .isEqualTo(decoder.decode(other).get(0).getSeriesKey())
                .isEqualTo("process:host-1/checkout|g{a=1,b=2}");
    }

    @Test
    void decode_malformedBytes_failsWithMalformedProtobuf() {
        assertThatThrownBy(() -> decoder.decode(OtlpRequests.garbage()))
                .isInstanceOfSatisfying(OtlpDecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF);
                    assertThat(e.detail()).contains("12 bytes");
                });
    }

    @Test
    void decode_truncatedRequest_failsWithMalformedProtobuf() {
        byte[] whole = OtlpRequests.cpuGaugeBytes(0.5);
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);

        assertThatThrownBy(() -> decoder.decodeWithProblems(truncated))
                .isInstanceOfSatisfying(OtlpDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(OtlpDecodeException.MALFORMED_PROTOBUF));
    }

    @Test
    void decode_requestWithoutMetrics_failsWithEmptyRequest() {
        byte[] resourceOnly = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(checkoutOnHost1())).build().toByteArray();

        assertThatThrownBy(() -> decoder.decode(new byte[0]))
                .isInstanceOfSatisfying(OtlpDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(OtlpDecodeException.EMPTY_REQUEST));
        assertThatThrownBy(() -> decoder.decode(resourceOnly))
                .isInstanceOfSatisfying(OtlpDecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(OtlpDecodeException.EMPTY_REQUEST);
                    assertThat(e.detail()).contains("1 resource entries");
                });
    }

    @Test
    void decodeWithProblems_metricWithoutData_keepsTheGoodPointsAndReportsTheMetric() throws Exception {
        Metric unknown = Metric.newBuilder().setName("future.type").setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .build()).build();
        byte[] bytes = request(checkoutOnHost1(), gauge("good", doublePoint(1)), unknown, gauge("also.good", doublePoint(2)))
                .toByteArray();

        DecodeResult result = decoder.decodeWithProblems(bytes);

        assertThat(result.points()).extracting(TelemetryPoint::getMetric).containsExactly("good", "also.good");
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.reason()).isEqualTo(OtlpDecodeException.UNSUPPORTED_METRIC_TYPE);
            assertThat(problem.metric()).isEqualTo("future.type");
            assertThat(problem.detail()).contains("unknown fields [99]");
        });
        assertThat(result.firstReason()).isEqualTo("unsupported-metric-type");
        assertThat(result.problemSummary()).startsWith("1 problem, 2 points decoded: unsupported-metric-type [future.type]");
    }

    @Test
    void decode_metricWithoutData_failsStrictDecoding() {
        byte[] bytes = request(checkoutOnHost1(), gauge("good", doublePoint(1)), Metric.newBuilder().setName("x").build())
                .toByteArray();

        assertThatThrownBy(() -> decoder.decode(bytes))
                .isInstanceOfSatisfying(OtlpDecodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(OtlpDecodeException.UNSUPPORTED_METRIC_TYPE));
    }

    @Test
    void decodeWithProblems_nanAndInfiniteValues_areSkippedWithAProblemEach() throws Exception {
        byte[] bytes = request(checkoutOnHost1(),
                gauge("g", doublePoint(Double.NaN), doublePoint(1.0), doublePoint(Double.POSITIVE_INFINITY, attr("k", "v"))))
                .toByteArray();

        DecodeResult result = decoder.decodeWithProblems(bytes);

        assertThat(result.points()).extracting(TelemetryPoint::getValue).containsExactly(1.0);
        assertThat(result.problems()).extracting(DecodeProblem::reason, DecodeProblem::metric).containsExactly(
                tuple(OtlpDecodeException.NON_FINITE_VALUE, "g"), tuple(OtlpDecodeException.NON_FINITE_VALUE, "g"));
        assertThat(result.problems().get(1).detail()).contains("Infinity").contains("k=v");
    }

    @Test
    void decodeWithProblems_histogramWithNanSum_keepsTheCount() throws Exception {
        Metric histogram = Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setCount(2).setSum(Double.NaN)))
                .build();

        DecodeResult result = decoder.decodeWithProblems(request(checkoutOnHost1(), histogram).toByteArray());

        assertThat(result.points()).extracting(TelemetryPoint::getMetric).containsExactly("h.count");
        assertThat(result.problems()).extracting(DecodeProblem::metric).containsExactly("h.sum", "h.mean");
    }

    @Test
    void decodeWithProblems_pointsWithoutTimestampOrValue_areReported() throws Exception {
        byte[] bytes = request(checkoutOnHost1(),
                gauge("g", doublePoint(1).setTimeUnixNano(0), NumberDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS),
                        doublePoint(3)))
                .toByteArray();

        DecodeResult result = decoder.decodeWithProblems(bytes);

        assertThat(result.points()).extracting(TelemetryPoint::getValue).containsExactly(3.0);
        assertThat(result.problems()).extracting(DecodeProblem::reason)
                .containsExactly(OtlpDecodeException.MISSING_TIMESTAMP, OtlpDecodeException.MISSING_VALUE);
    }

    @Test
    void decodeWithProblems_metricWithoutName_isReported() throws Exception {
        byte[] bytes = request(checkoutOnHost1(), gauge("", doublePoint(1)), gauge("named", doublePoint(2))).toByteArray();

        DecodeResult result = decoder.decodeWithProblems(bytes);

        assertThat(result.points()).extracting(TelemetryPoint::getMetric).containsExactly("named");
        assertThat(result.problems()).extracting(DecodeProblem::reason)
                .containsExactly(OtlpDecodeException.MISSING_METRIC_NAME);
    }

    @Test
    void decode_pointFlaggedNoRecordedValue_isSkippedWithoutAProblem() throws Exception {
        byte[] bytes = request(checkoutOnHost1(), gauge("g",
                NumberDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS)
                        .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE),
                doublePoint(5))).toByteArray();

        assertThat(decoder.decode(bytes)).extracting(TelemetryPoint::getValue).containsExactly(5.0);
    }

    @Test
    void decode_pointWithoutStartTime_hasZeroStart() throws Exception {
        byte[] bytes = request(checkoutOnHost1(), gauge("g", doublePoint(1).setStartTimeUnixNano(0))).toByteArray();

        assertThat(decoder.decode(bytes).get(0).getStartTimestampMillis()).isZero();
    }
}
