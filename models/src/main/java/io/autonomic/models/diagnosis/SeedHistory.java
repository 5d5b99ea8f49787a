package io.autonomic.models.diagnosis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autonomic.models.diagnosis.SeedFamily.Placement;
import io.autonomic.models.diagnosis.SeedFamily.Signal;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Layer;
import io.autonomic.schemas.avro.Resource;
import io.autonomic.schemas.avro.ResourceKind;
import io.autonomic.schemas.avro.TopologyContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seed incident history: incidents generated from the {@link SeedFamilies seed failure families} with seeded
 * randomness, each as the evidence the pipeline would produce (anomalies on the root cause and, for some families, on
 * its dependents), plus realistic noise: signals that did not show up, unrelated baseline anomalies, resources whose
 * topology context was missing (layer {@code UNKNOWN}), and fixes that did not work. The signature of each incident
 * is computed with {@link IncidentSignature#fromEvidence}, the live code path.
 *
 * <p>History files are JSON lines, one {@link PastIncident} per line (see docs/diagnosis.md). The shipped file,
 * {@value #RESOURCE}, is {@code generate(SEED, PER_FAMILY)}; {@code main} rewrites it.
 */
public final class SeedHistory {

    public static final String RESOURCE = "/io/autonomic/models/diagnosis/seed-incidents.jsonl";
    public static final long SEED = 20261202L;
    public static final int PER_FAMILY = 24;

    static final double NOISE_PROBABILITY = 0.5;
    static final double NO_CONTEXT_PROBABILITY = 0.12;
    static final double FIX_FAILED_PROBABILITY = 0.1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long START_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private SeedHistory() {
    }

    /** {@code perFamily} incidents of each seed family, in family order; the same seed gives the same history. */
    public static List<PastIncident> generate(long seed, int perFamily) {
        if (perFamily < 1) {
            throw new IllegalArgumentException("perFamily must be at least 1");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<PastIncident> history = new ArrayList<>();
        int number = 0;
        for (SeedFamily family : SeedFamilies.ALL) {
            for (int i = 0; i < perFamily; i++) {
                number++;
                Placement placement = pick(family.placements(), random);
                List<Anomaly> evidence = evidence(family, placement, random, START_MILLIS + number * 60_000L);
                boolean acted = !placement.playbook().isEmpty();
                String outcome = !acted ? PastIncident.NO_ACTION
                        : random.nextDouble() < FIX_FAILED_PROBABILITY ? PastIncident.ESCALATED : PastIncident.RESOLVED;
                history.add(new PastIncident(String.format(Locale.ROOT, "seed-%04d", number), family.name(),
                        family.incidentType(), placement.kind().name(),
                        IncidentSignature.fromEvidence(evidence).tokenList(), placement.playbook(), outcome));
            }
        }
        return List.copyOf(history);
    }

    /**
     * One incident's evidence: each signal of the family that applies to the placement's kind, with its presence
     * probability (the anchor signal when chance dropped them all), plus unrelated baseline anomalies.
     */
    public static List<Anomaly> evidence(SeedFamily family, Placement placement, SplittableRandom random,
            long startMillis) {
        boolean hasContext = random.nextDouble() >= NO_CONTEXT_PROBABILITY;
        Resource cause = resource(placement.kind(), "cause");
        TopologyContext causeContext = context(hasContext ? placement.layer() : Layer.UNKNOWN, hasContext);
        ResourceKind dependentKind = random.nextBoolean() ? ResourceKind.HOST_PROCESS : ResourceKind.K8S_POD;
        Resource dependent = resource(dependentKind, "caller");
        TopologyContext dependentContext = context(hasContext ? Layer.APPLICATION : Layer.UNKNOWN, hasContext);
        List<Anomaly> evidence = new ArrayList<>();
        long at = startMillis;
        for (Signal signal : family.signals()) {
            if (signal.appliesTo(placement.kind()) && random.nextDouble() < signal.presence()) {
                evidence.add(anomaly(signal, pickMetric(signal, random), signal.onDependent() ? dependent : cause,
                        signal.onDependent() ? dependentContext : causeContext, at += 1000));
            }
        }
        if (evidence.isEmpty()) {
            Signal anchor = family.signals().get(0);
            evidence.add(anomaly(anchor, pickMetric(anchor, random), cause, causeContext, at += 1000));
        }
        if (random.nextDouble() < NOISE_PROBABILITY) {
            int extra = 1 + random.nextInt(2);
            for (int i = 0; i < extra; i++) {
                String metric = SeedFamilies.NOISE_METRICS.get(random.nextInt(SeedFamilies.NOISE_METRICS.size()));
                boolean onDependent = random.nextBoolean();
                evidence.add(anomaly(new Signal(List.of(metric), SeedFamilies.LEARNED, Map.of(), 1, java.util.Set.of(),
                        onDependent), metric, onDependent ? dependent : cause,
                        onDependent ? dependentContext : causeContext, at += 1000));
            }
        }
        return evidence;
    }

    /** Reads a history file; fails naming the line that is not a past incident. */
    public static List<PastIncident> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The shipped seed history. */
    public static List<PastIncident> shipped() {
        try (InputStream in = SeedHistory.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Parses JSON lines; blank lines and lines starting with '#' are skipped. */
    public static List<PastIncident> parse(String text, String source) {
        List<PastIncident> history = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            PastIncident incident;
            try {
                incident = JSON.readValue(line, PastIncident.class);
            } catch (JsonProcessingException | RuntimeException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": not a past incident ("
                        + e.getMessage().lines().findFirst().orElse("") + ")", e);
            }
            if (incident.signature().isEmpty()) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": incident " + incident.id()
                        + " has an empty signature");
            }
            history.add(incident);
        }
        return List.copyOf(history);
    }

    /** The history as JSON lines, one incident per line, fields in declaration order. */
    public static String format(List<PastIncident> history) {
        StringBuilder text = new StringBuilder();
        for (PastIncident incident : history) {
            try {
                text.append(JSON.writeValueAsString(incident)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a past incident always serializes", e);
            }
        }
        return text.toString();
    }

    public static void write(Path file, List<PastIncident> history) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, format(history), StandardCharsets.UTF_8);
    }

    /** Regenerates the shipped file: {@code SeedHistory models/src/main/resources/.../seed-incidents.jsonl}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SeedHistory OUTPUT_FILE");
            System.exit(2);
        }
        write(Path.of(args[0]), generate(SEED, PER_FAMILY));
    }

    private static Placement pick(List<Placement> placements, SplittableRandom random) {
        double total = placements.stream().mapToDouble(Placement::weight).sum();
        double draw = random.nextDouble() * total;
        for (Placement placement : placements) {
            draw -= placement.weight();
            if (draw < 0) {
                return placement;
            }
        }
        return placements.get(placements.size() - 1);
    }

    private static String pickMetric(Signal signal, SplittableRandom random) {
        return signal.metrics().get(random.nextInt(signal.metrics().size()));
    }

    private static Resource resource(ResourceKind kind, String role) {
        String id = kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + ":seed/" + role;
        return Resource.newBuilder().setId(id).setKind(kind).setService(role).setAttributes(Map.of()).build();
    }

    private static TopologyContext context(Layer layer, boolean found) {
        return TopologyContext.newBuilder().setFound(found).setLayer(layer)
                .setNoContextReason(found ? null : "not-in-topology").build();
    }

    private static Anomaly anomaly(Signal signal, String metric, Resource resource, TopologyContext context,
            long atMillis) {
        Map<String, String> attributes = new HashMap<>(signal.attributes());
        return Anomaly.newBuilder()
                .setAnomalyId(resource.getId() + "|" + metric + "|" + atMillis)
                .setResource(resource)
                .setContext(context)
                .setSeriesKey(resource.getId() + "|" + metric)
                .setMetric(metric)
                .setAttributes(attributes)
                .setTimestampMillis(atMillis)
                .setObserved(1)
                .setExpected(0)
                .setLower(0)
                .setUpper(0.5)
                .setScore(0.8)
                .setDetector(signal.detector())
                .setReason("seed evidence")
                .build();
    }
}
