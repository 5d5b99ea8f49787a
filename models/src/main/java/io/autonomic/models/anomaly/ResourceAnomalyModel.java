package io.autonomic.models.anomaly;

import io.autonomic.models.features.FeatureExtractor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * A one-class SVM (RBF kernel) over the signals of one resource kind, trained on normal behaviour. Features are
 * standardized inside the Tribuo model (a {@code TransformTrainer}), so the saved file carries its own scaling and
 * scoring needs nothing but the {@link FeatureExtractor}.
 *
 * <p>Files, per kind, in one directory: {@code <kind>.model} (Tribuo protobuf), {@code <kind>.provenance.txt}
 * (Tribuo provenance: trainer, parameters, data source, versions) and {@code <kind>.signals} (feature order).
 * The version is the first 12 hex digits of the model file's SHA-256: a retrained model is a new version.
 */
public final class ResourceAnomalyModel {

    /** One scoring. {@code score} is in [0,1], 0 when the point is inside the learned region. */
    public record Scored(boolean anomalous, double decision, double score, String modelVersion) {
    }

    private static final AnomalyFactory FACTORY = new AnomalyFactory();

    private final String kind;
    private final FeatureExtractor features;
    private final Model<Event> model;
    private final String version;

    private ResourceAnomalyModel(String kind, FeatureExtractor features, Model<Event> model, String version) {
        this.kind = kind;
        this.features = features;
        this.model = model;
        this.version = version;
    }

    /**
     * Trains on rows of normal behaviour.
     *
     * @param nu upper bound on the fraction of training rows left outside the region (expected false alarm rate)
     * @param gamma RBF width on standardized features
     */
    public static ResourceAnomalyModel train(String kind, FeatureExtractor features, List<Map<String, Double>> normal,
            double nu, double gamma, String dataSource) {
        Objects.requireNonNull(kind, "kind");
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
        return new ResourceAnomalyModel(kind, features, model, versionOf(model));
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

    public String kind() {
        return kind;
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

    /** Writes the model, its provenance and its signal order into {@code directory}. */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        // the very bytes the version was computed from, so a loaded model reports the same version
        Files.write(directory.resolve(kind + ".model"), model.serialize().toByteArray());
        Files.writeString(directory.resolve(kind + ".provenance.txt"), model.getProvenance().toString() + "\n",
                StandardCharsets.UTF_8);
        Files.write(directory.resolve(kind + ".signals"), features.signals(), StandardCharsets.UTF_8);
    }

    /** Loads what {@link #save} wrote; fails naming the file when it is missing or not an anomaly model. */
    public static ResourceAnomalyModel load(Path directory, String kind) throws IOException {
        QuietTribuo.apply();
        Path file = directory.resolve(kind + ".model");
        Model<?> loaded = Model.deserializeFromFile(file);
        if (!loaded.validate(Event.class)) {
            throw new IOException(file + " is not an anomaly model");
        }
        @SuppressWarnings("unchecked")
        Model<Event> model = (Model<Event>) loaded;
        List<String> signals = Files.readAllLines(directory.resolve(kind + ".signals"), StandardCharsets.UTF_8)
                .stream().filter(s -> !s.isBlank()).toList();
        return new ResourceAnomalyModel(kind, FeatureExtractor.of(signals), model, versionOf(Files.readAllBytes(file)));
    }

    private static String versionOf(Model<Event> model) {
        return versionOf(model.serialize().toByteArray());
    }

    private static String versionOf(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
