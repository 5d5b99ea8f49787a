package io.autonomic.models.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.models.features.SignalValues;
import io.autonomic.schemas.Topic;
import io.autonomic.schemas.avro.EnrichedPoint;
import io.autonomic.schemas.avro.MetricType;
import io.autonomic.schemas.avro.TelemetryPoint;
import io.autonomic.schemas.avro.Temporality;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Recorded telemetry for training, as per-series histories of (time, value) or per-resource snapshots. Read from a
 * file or from a topic of the pipeline:
 * <ul>
 *   <li>CSV {@code timestamp,resource,metric,value[,label]}, header optional; timestamps ISO-8601 (with offset or
 *       {@code Z}) or unix seconds (fractions allowed); label 1 marks a point where the resource had failed (for the
 *       forecasts: was exhausted; for the anomaly models: was anomalous), 0 healthy, empty or absent unknown. With a
 *       header, the columns go by name, in any order, and two more may be given: {@code kind}, the resource kind
 *       ({@code HOST_PROCESS}, {@code k8s-pod}, ...), and {@code type}: {@code counter} for a cumulative monotonic
 *       counter (read as a per-second rate in {@link #snapshots}), {@code gauge}, {@code sum} or empty for a value
 *       read as is.</li>
 *   <li>JSON lines of {@code TelemetryPoint} (as Avro prints it: {@code resource.id}, {@code resource.kind},
 *       {@code metric}, {@code type}, {@code temporality}, {@code monotonic}, {@code seriesKey},
 *       {@code timestampMillis}, {@code value}), or of {@code EnrichedPoint} ({@code point} holding those); an
 *       optional {@code label} field as in the CSV.</li>
 *   <li>The {@code points} or {@code enriched} topic, Avro, from the earliest offset up to the end offsets seen at
 *       start: a bounded replay of what the live jobs saw.</li>
 * </ul>
 * A malformed file line fails naming the file and line (training on half a file would go unnoticed); a topic record
 * that does not decode is skipped and counted ({@link #skippedRecords}), as the live jobs do.
 */
public final class TelemetryRecording {

    /** One series, points in time order (ties in reading order). Labels: 1 failed, 0 healthy, -1 unknown. */
    public record Series(String key, String resource, String metric, long[] timesMillis, double[] values,
            int[] labels) {

        public int size() {
            return timesMillis.length;
        }
    }

    /** The latest value of each metric of one resource within one time bucket; label the highest of its points. */
    public record Snapshot(String resource, long timestampMillis, Map<String, Double> signals, int label) {
    }

    /**
     * @param kind the resource kind as recorded, {@code null} when the recording does not say
     * @param counter a cumulative monotonic counter, see {@link SignalValues#isCumulativeCounter}
     */
    private record Point(String key, String resource, String kind, String metric, boolean counter,
            long timestampMillis, double value, int label, long sequence) {
    }

    /** The columns of a CSV recording: indexes of the named columns, -1 for an absent optional one. */
    private record CsvColumns(int count, int timestamp, int resource, int metric, int value, int label, int kind,
            int type) {

        static final CsvColumns POSITIONAL = new CsvColumns(-1, 0, 1, 2, 3, 4, -1, -1);
        static final List<String> KNOWN = List.of("timestamp", "resource", "metric", "value", "label", "kind",
                "type");

        /** How many columns a line has at least: up to the last of timestamp, resource, metric and value. */
        int required() {
            return Math.max(Math.max(timestamp, resource), Math.max(metric, value)) + 1;
        }

        static CsvColumns of(String header, String where) {
            List<String> names = Arrays.stream(header.split(",", -1)).map(c -> c.strip().toLowerCase(Locale.ROOT))
                    .toList();
            for (String name : names) {
                if (!KNOWN.contains(name) || names.indexOf(name) != names.lastIndexOf(name)) {
                    throw new IllegalArgumentException(where + ": header column '" + name + "' is "
                            + (KNOWN.contains(name) ? "given twice" : "unknown") + "; expected "
                            + "timestamp,resource,metric,value and optionally label, kind, type");
                }
            }
            for (String required : KNOWN.subList(0, 4)) {
                if (!names.contains(required)) {
                    throw new IllegalArgumentException(where + ": the header lacks the column " + required
                            + "; expected timestamp,resource,metric,value and optionally label, kind, type");
                }
            }
            return new CsvColumns(names.size(), names.indexOf("timestamp"), names.indexOf("resource"),
                    names.indexOf("metric"), names.indexOf("value"), names.indexOf("label"), names.indexOf("kind"),
                    names.indexOf("type"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Point> points;
    private final long skipped;
    private final String source;

    private TelemetryRecording(List<Point> points, long skipped, String source) {
        this.points = points;
        this.skipped = skipped;
        this.source = source;
    }

    /** Reads a CSV or JSON-lines recording (JSON when the name ends in .json, .jsonl, .ndjson or a line starts '{'). */
    public static TelemetryRecording readFile(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean json = name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson");
        List<Point> points = new ArrayList<>();
        CsvColumns columns = CsvColumns.POSITIONAL;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                String where = file + ":" + lineNumber;
                if (json || trimmed.startsWith("{")) {
                    json = true;
                    points.add(jsonPoint(trimmed, where, points.size()));
                } else if (points.isEmpty() && columns == CsvColumns.POSITIONAL
                        && trimmed.toLowerCase(Locale.ROOT).startsWith("timestamp")) {
                    columns = CsvColumns.of(trimmed, where);
                } else {
                    points.add(csvPoint(trimmed, columns, where, points.size()));
                }
            }
        }
        return new TelemetryRecording(points, 0, file.toString());
    }

    /** A recording of points already at hand, e.g. replayed by a test or a tool; {@code source} names them. */
    public static TelemetryRecording of(List<TelemetryPoint> recorded, String source) {
        List<Point> points = new ArrayList<>(recorded.size());
        for (TelemetryPoint point : recorded) {
            points.add(point(point, points.size()));
        }
        return new TelemetryRecording(points, 0, source);
    }

    private static Point point(TelemetryPoint point, long sequence) {
        return new Point(point.getSeriesKey(), point.getResource().getId(),
                point.getResource().getKind() == null ? null : point.getResource().getKind().name(),
                point.getMetric(), SignalValues.isCumulativeCounter(point), point.getTimestampMillis(),
                point.getValue(), -1, sequence);
    }

    /** Reads the {@code points} topic (records of {@link TelemetryPoint}). */
    public static TelemetryRecording readPoints(String bootstrapServers, Topic<String, TelemetryPoint> topic,
            Duration timeout) {
        return readTopic(bootstrapServers, topic, p -> p, timeout);
    }

    /** Reads the {@code enriched} topic (records of {@link EnrichedPoint}). */
    public static TelemetryRecording readEnriched(String bootstrapServers, Topic<String, EnrichedPoint> topic,
            Duration timeout) {
        return readTopic(bootstrapServers, topic, EnrichedPoint::getPoint, timeout);
    }

    /**
     * Reads {@code topic} from the earliest offset up to the end offsets seen at start.
     *
     * @param timeout how long the whole read may take; past it, fails naming the topic rather than train on part
     */
    public static <V> TelemetryRecording readTopic(String bootstrapServers, Topic<String, V> topic,
            Function<V, TelemetryPoint> toPoint, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "autonomic-training");
        List<Point> points = new ArrayList<>();
        long skipped = 0;
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic.name() + " does not exist at " + bootstrapServers);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic.name(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("reading topic " + topic.name() + " did not reach its end "
                            + "offsets " + end + " within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    TelemetryPoint point = decode(topic, toPoint, record.value());
                    if (point == null) {
                        skipped++;
                    } else {
                        points.add(point(point, points.size()));
                    }
                }
            }
        }
        return new TelemetryRecording(points, skipped, "topic " + topic.name());
    }

    private static <V> TelemetryPoint decode(Topic<String, V> topic, Function<V, TelemetryPoint> toPoint,
            byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            TelemetryPoint point = toPoint.apply(topic.valueSerde().deserializer().deserialize(topic.name(), bytes));
            return point == null || point.getResource() == null || point.getMetric() == null ? null : point;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Points read. */
    public int pointCount() {
        return points.size();
    }

    /** Topic records that did not decode and were left out. */
    public long skippedRecords() {
        return skipped;
    }

    /** Where the recording came from (a file name or "topic NAME"), for provenance. */
    public String source() {
        return source;
    }

    /** Every series, ordered by key. */
    public List<Series> series() {
        return series(metric -> true);
    }

    /** The series of metrics that {@code metricFilter} accepts, ordered by key. */
    public List<Series> series(Predicate<String> metricFilter) {
        Map<String, List<Point>> byKey = new TreeMap<>();
        for (Point p : points) {
            if (metricFilter.test(p.metric())) {
                byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
            }
        }
        List<Series> series = new ArrayList<>(byKey.size());
        for (List<Point> list : byKey.values()) {
            list.sort(Comparator.comparingLong(Point::timestampMillis).thenComparingLong(Point::sequence));
            int n = list.size();
            long[] times = new long[n];
            double[] values = new double[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                times[i] = list.get(i).timestampMillis();
                values[i] = list.get(i).value();
                labels[i] = list.get(i).label();
            }
            Point first = list.get(0);
            series.add(new Series(first.key(), first.resource(), first.metric(), times, values, labels));
        }
        return series;
    }

    /**
     * The kind recorded for each resource (the latest one given), absent for a resource whose points carry none:
     * a CSV without a {@code kind} column.
     */
    public Map<String, String> resourceKinds() {
        Map<String, String> kinds = new TreeMap<>();
        for (Point p : points) {
            if (p.kind() != null && !p.kind().isEmpty()) {
                kinds.put(p.resource(), p.kind());
            }
        }
        return kinds;
    }

    /**
     * Per resource, one snapshot per {@code bucket} of time holding the latest value of each metric in it: the rows
     * a multivariate model of a resource's signals trains on. Ordered by resource, then time. Values are as
     * {@link SignalValues} reads them: a counter's is its per-second rate, absent where there is none (its first
     * reading, a reset).
     */
    public List<Snapshot> snapshots(Duration bucket) {
        return snapshots(bucket, Duration.ZERO);
    }

    /**
     * As {@link #snapshots(Duration)}, but a snapshot also holds each metric's latest reading from before its bucket
     * that is at most {@code maxAge} older than the bucket's last point, as the live job's snapshots do (see
     * {@link SignalValues#DEFAULT_SIGNAL_MAX_AGE}): metrics reported less often than every bucket are still in
     * every snapshot, as they are when live models score. Points with a non-finite value are left out, as live.
     */
    public List<Snapshot> snapshots(Duration bucket, Duration maxAge) {
        long width = bucket.toMillis();
        if (width <= 0) {
            throw new IllegalArgumentException("bucket must be positive, got " + bucket);
        }
        long maxAgeMillis = maxAge.toMillis();
        Map<String, List<Point>> byResource = new TreeMap<>();
        for (Point p : points) {
            if (Double.isFinite(p.value())) {
                byResource.computeIfAbsent(p.resource(), r -> new ArrayList<>()).add(p);
            }
        }
        List<Snapshot> snapshots = new ArrayList<>();
        byResource.forEach((resource, list) -> {
            list.sort(Comparator.comparingLong(Point::timestampMillis).thenComparingLong(Point::sequence));
            Map<String, SignalValues.Reading> readings = new HashMap<>();
            int i = 0;
            while (i < list.size()) {
                long start = Math.floorDiv(list.get(i).timestampMillis(), width) * width;
                int label = -1;
                long last = start;
                for (; i < list.size() && list.get(i).timestampMillis() < start + width; i++) {
                    Point p = list.get(i);
                    SignalValues.Reading next = SignalValues.next(readings.get(p.metric()), p.timestampMillis(),
                            p.value(), p.counter());
                    if (next != null) {
                        readings.put(p.metric(), next);
                    }
                    label = Math.max(label, p.label());
                    last = p.timestampMillis();
                }
                Map<String, Double> signals = new HashMap<>();
                for (Map.Entry<String, SignalValues.Reading> entry : readings.entrySet()) {
                    SignalValues.Reading reading = entry.getValue();
                    if (reading.hasValue() && (reading.timestampMillis() >= start
                            || last - reading.timestampMillis() <= maxAgeMillis)) {
                        signals.put(entry.getKey(), reading.value());
                    }
                }
                snapshots.add(new Snapshot(resource, start, Map.copyOf(signals), label));
            }
        });
        return snapshots;
    }

    private static Point csvPoint(String line, CsvColumns columns, String where, long sequence) {
        String[] cells = line.split(",", -1);
        // trailing optional columns may be left off, as the label of a header-less line
        if (columns.count() < 0 ? cells.length < 4 || cells.length > 5
                : cells.length < columns.required() || cells.length > columns.count()) {
            throw new IllegalArgumentException(where + ": expected " + (columns.count() < 0
                    ? "timestamp,resource,metric,value[,label]" : columns.count() + " columns as the header says")
                    + ", got " + cells.length + " columns");
        }
        String resource = cells[columns.resource()].strip();
        String metric = cells[columns.metric()].strip();
        if (resource.isEmpty() || metric.isEmpty()) {
            throw new IllegalArgumentException(where + ": resource and metric must not be empty");
        }
        long millis = timestamp(cells[columns.timestamp()].strip(), where);
        double value = number(cells[columns.value()].strip(), "value", where);
        int label = columns.label() >= 0 && columns.label() < cells.length
                ? label(cells[columns.label()].strip(), where) : -1;
        String kind = columns.kind() >= 0 && columns.kind() < cells.length ? cells[columns.kind()].strip() : null;
        boolean counter = columns.type() >= 0 && columns.type() < cells.length
                && counter(cells[columns.type()].strip(), where);
        return new Point(resource + "|" + metric, resource, kind == null || kind.isEmpty() ? null : kind, metric,
                counter, millis, value, label, sequence);
    }

    private static boolean counter(String type, String where) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "counter" -> true;
            case "", "gauge", "sum" -> false;
            default -> throw new IllegalArgumentException(where + ": type must be counter, gauge or sum, got "
                    + type);
        };
    }

    private static Point jsonPoint(String line, String where, long sequence) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode point = node.has("point") ? node.get("point") : node;
        JsonNode resourceNode = point.path("resource");
        String resource = resourceNode.isObject() ? resourceNode.path("id").asText("") : resourceNode.asText("");
        String metric = point.path("metric").asText("");
        if (resource.isEmpty() || metric.isEmpty()) {
            throw new IllegalArgumentException(where + ": a point needs resource.id and metric");
        }
        JsonNode time = point.has("timestampMillis") ? point.get("timestampMillis") : point.get("timestamp");
        if (time == null || !(time.isNumber() || time.isTextual())) {
            throw new IllegalArgumentException(where + ": a point needs timestampMillis");
        }
        long millis = time.isNumber() ? time.asLong() : timestamp(time.asText(), where);
        JsonNode valueNode = point.get("value");
        if (valueNode == null || !valueNode.isNumber()) {
            throw new IllegalArgumentException(where + ": a point needs a numeric value");
        }
        String key = point.path("seriesKey").asText("");
        JsonNode labelNode = node.has("label") ? node.get("label") : point.get("label");
        int label = labelNode == null || labelNode.isNull() ? -1 : labelNode.asDouble() > 0 ? 1 : 0;
        String kind = resourceNode.path("kind").asText("");
        boolean counter = SignalValues.isCumulativeCounter(
                enumValue(MetricType.class, point.path("type").asText("UNKNOWN"), "type", where),
                enumValue(Temporality.class, point.path("temporality").asText("UNSPECIFIED"), "temporality", where),
                point.path("monotonic").asBoolean(false));
        return new Point(key.isEmpty() ? resource + "|" + metric : key, resource, kind.isEmpty() ? null : kind,
                metric, counter, millis, valueNode.asDouble(), label, sequence);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field, String where) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + field + " must be one of "
                    + Arrays.toString(type.getEnumConstants()) + ", got " + text, e);
        }
    }

    /** ISO-8601 (with offset or Z) or unix seconds, fractions allowed. */
    static long timestamp(String text, String where) {
        try {
            double seconds = Double.parseDouble(text);
            if (!Double.isFinite(seconds)) {
                throw new IllegalArgumentException(where + ": timestamp '" + text + "' is not a time");
            }
            return Math.round(seconds * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": timestamp '" + text + "' is neither ISO-8601 nor unix "
                        + "seconds", e);
            }
        }
    }

    private static double number(String text, String column, String where) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + column + " is not a number: " + text, e);
        }
    }

    private static int label(String text, String where) {
        return text.isEmpty() ? -1 : number(text, "label", where) > 0 ? 1 : 0;
    }

    @Override
    public String toString() {
        return "TelemetryRecording[" + source + ", " + points.size() + " points" + (skipped > 0 ? ", " + skipped
                + " skipped" : "") + "]";
    }
}
