package io.autonomic.models.anomaly;

import io.autonomic.models.features.FeatureExtractor;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.ResourceKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.anomaly.libsvm.LibSVMAnomalyTrainer;
import org.tribuo.anomaly.libsvm.SVMAnomalyType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.Transformer;
import org.tribuo.transform.TransformerMap;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * A one-class SVM (RBF kernel) over the signals of one resource kind, trained on normal behaviour. Features are
 * standardized inside the Tribuo model (a {@code TransformTrainer}), so the model carries its own scaling and scoring
 * needs nothing but the {@link FeatureExtractor}.
 *
 * <p>The model of resource kind {@code K} is released as {@code anomaly/K} (family {@value #FAMILY}), where {@code K}
 * is a {@link ResourceKind} name such as {@code HOST_PROCESS}, or {@value #DEFAULT_KIND} for the model scoring
 * every kind without one of its own. Releases, files and versions all go through {@link ModelReleases}: the version is
 * the first 12 hex digits of the serialized model's SHA-256, so a retrained model is a new version.
 */
public final class ResourceAnomalyModel {

    public static final String FAMILY = "anomaly";
    public static final String NAME_PREFIX = FAMILY + "/";
    /** The kind of the fallback model, used for resources whose kind has no model of its own. */
    public static final String DEFAULT_KIND = "default";

    /** One scoring. {@code score} is in [0,1], 0 when the point is inside the learned region. */
    public record Scored(boolean anomalous, double decision, double score, String modelVersion) {
    }

    /**
     * How far one signal is from what the model was trained on, in training standard deviations ({@code
     * standardized} is the model's own scaling of {@code value}: 0 at the training mean).
     */
    public record Deviation(String signal, double value, double standardized) {
    }

    private static final AnomalyFactory FACTORY = new AnomalyFactory();

    private final String kind;
    private final FeatureExtractor features;
    private final Model<Event> model;
    private final String version;
    private final TransformerMap scaling;

    private ResourceAnomalyModel(String kind, FeatureExtractor features, Model<Event> model, String version) {
        this.kind = kind;
        this.features = features;
        this.model = model;
        this.version = version;
        this.scaling = model instanceof TransformedModel<Event> transformed ? transformed.getTransformerMap() : null;
    }

    /**
     * The canonical kind: a {@link ResourceKind} name (case and '-' forgiven: {@code host-process} is {@code
     * HOST_PROCESS}) or {@value #DEFAULT_KIND}. Anything else fails, because a model under a name no resource carries
     * would never score anything.
     */
    public static String canonicalKind(String kind) {
        Objects.requireNonNull(kind, "kind");
        String trimmed = kind.trim();
        if (trimmed.equalsIgnoreCase(DEFAULT_KIND)) {
            return DEFAULT_KIND;
        }
        String upper = trimmed.toUpperCase(Locale.ROOT).replace('-', '_');
        for (ResourceKind known : ResourceKind.values()) {
            if (known.name().equals(upper)) {
                return upper;
            }
        }
        throw new IllegalArgumentException("unknown resource kind '" + kind + "'; expected one of "
                + Arrays.toString(ResourceKind.values()) + " or " + DEFAULT_KIND);
    }

    /** {@code anomaly/<canonical kind>}. */
    public static String modelName(String kind) {
        return NAME_PREFIX + canonicalKind(kind);
    }

    /**
     * Trains on rows of normal behaviour.
     *
     * @param kind a resource kind, see {@link #canonicalKind}
     * @param nu upper bound on the fraction of training rows left outside the region (expected false alarm rate)
     * @param gamma RBF width on standardized features
     */
    public static ResourceAnomalyModel train(String kind, FeatureExtractor features, List<Map<String, Double>> normal,
            double nu, double gamma, String dataSource) {
        String canonical = canonicalKind(kind);
        if (normal.size() < 10) {
            throw new IllegalArgumentException("need at least 10 normal rows to train, got " + normal.size());
        }
        QuietTribuo.apply();
        MutableDataset<Event> data = new MutableDataset<>(new SimpleDataSourceProvenance(dataSource, FACTORY),
                FACTORY);
        for (Map<String, Double> row : normal) {
            data.add(features.example(new Event(Event.EventType.EXPECTED), row));
        }
        SVMParameters<Event> params = new SVMParameters<>(new SVMAnomalyType(SVMAnomalyType.SVMMode.ONE_CLASS),
                KernelType.RBF);
        params.setNu(nu);
        params.setGamma(gamma);
        TransformTrainer<Event> trainer = new TransformTrainer<>(new LibSVMAnomalyTrainer(params),
                new TransformationMap(List.of(new MeanStdDevTransformation())));
        Model<Event> model = trainer.train(data);
        return new ResourceAnomalyModel(canonical, features, model,
                ModelReleases.versionOf(model.serialize().toByteArray()));
    }

    /**
     * The model a release carries.
     *
     * @throws IllegalArgumentException naming the release when it is not an anomaly model, its payload does not
     *     deserialize, it names no signals, or its version is not its payload's digest
     */
    public static ResourceAnomalyModel fromRelease(ModelRelease release) {
        String name = release.getModelName();
        if (!FAMILY.equals(release.getFamily())) {
            throw new IllegalArgumentException("model " + name + " is of family " + release.getFamily()
                    + ", expected " + FAMILY);
        }
        if (!name.startsWith(NAME_PREFIX)) {
            throw new IllegalArgumentException("anomaly model name " + name + " does not start with " + NAME_PREFIX);
        }
        String kind = canonicalKind(name.substring(NAME_PREFIX.length()));
        String digest = ModelReleases.versionOf(bytes(release.getPayload()));
        if (!digest.equals(release.getVersion())) {
            throw new IllegalArgumentException("model " + name + " claims version " + release.getVersion()
                    + " but its payload's digest is " + digest);
        }
        if (release.getSignals().isEmpty()) {
            throw new IllegalArgumentException("model " + name + " version " + release.getVersion()
                    + " names no signals");
        }
        QuietTribuo.apply();
        Model<?> loaded = ModelReleases.tribuoModel(release);
        if (!loaded.validate(Event.class)) {
            throw new IllegalArgumentException("model " + name + " version " + release.getVersion()
                    + " is not an anomaly model (it predicts " + loaded.getClass().getSimpleName() + " outputs)");
        }
        @SuppressWarnings("unchecked")
        Model<Event> model = (Model<Event>) loaded;
        return new ResourceAnomalyModel(kind, FeatureExtractor.of(release.getSignals()), model, release.getVersion());
    }

    /** This model as a release for the models topic. */
    public ModelRelease release(long publishedAtMillis, Map<String, String> metadata) {
        return ModelReleases.of(modelName(), FAMILY, model, features.signals(), publishedAtMillis, metadata);
    }

    public Scored score(Map<String, Double> latest) {
        Prediction<Event> prediction = model.predict(features.example(AnomalyFactory.UNKNOWN_EVENT, latest));
        Event event = prediction.getOutput();
        boolean anomalous = event.getType() == Event.EventType.ANOMALOUS;
        double decision = event.getScore();
        // libsvm's decision value is negative outside the region; its magnitude grows with the distance
        double score = anomalous ? Math.min(1.0, Math.max(Double.MIN_NORMAL, 1 - Math.exp(decision))) : 0.0;
        return new Scored(anomalous, decision, score, version);
    }

    /**
     * The {@code limit} signals of {@code latest} furthest from their training mean, furthest first, by the model's
     * own standardization. Cheap (one subtraction and division per signal), so it can explain every anomaly. Empty
     * when the model carries no standardization.
     */
    public List<Deviation> mostDeviating(Map<String, Double> latest, int limit) {
        if (scaling == null) {
            return List.of();
        }
        List<Deviation> deviations = new ArrayList<>(features.signals().size());
        for (String signal : features.signals()) {
            Double value = latest.get(signal);
            List<Transformer> transformers = scaling.get(signal);
            if (value != null && Double.isFinite(value) && transformers != null) {
                deviations.add(new Deviation(signal, value, TransformerMap.applyTransformerList(value, transformers)));
            }
        }
        deviations.sort(Comparator.comparingDouble((Deviation d) -> -Math.abs(d.standardized())));
        return List.copyOf(deviations.subList(0, Math.min(limit, deviations.size())));
    }

    /** The canonical resource kind, e.g. {@code HOST_PROCESS} or {@value #DEFAULT_KIND}. */
    public String kind() {
        return kind;
    }

    /** {@code anomaly/<kind>}. */
    public String modelName() {
        return NAME_PREFIX + kind;
    }

    public String version() {
        return version;
    }

    public FeatureExtractor features() {
        return features;
    }

    public Model<Event> tribuoModel() {
        return model;
    }

    /** Writes the model's release files into {@code directory} (see {@link ModelReleases#write}). */
    public void save(Path directory) throws IOException {
        ModelReleases.write(directory, release(0, Map.of()));
    }

    /** Loads what {@link #save} wrote for {@code kind}; fails naming the file when it is missing or not one. */
    public static ResourceAnomalyModel load(Path directory, String kind) throws IOException {
        ModelRelease release = ModelReleases.read(directory, modelName(kind), 0);
        try {
            return fromRelease(release);
        } catch (IllegalArgumentException e) {
            throw new IOException(directory.resolve(ModelReleases.fileStem(release.getModelName()) + ".model")
                    + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
