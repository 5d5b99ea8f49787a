package io.autonomic.models.diagnosis;

import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.ModelRelease;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.ensemble.BaggingTrainer;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The diagnosis classifier: a Tribuo ensemble of bagged CART trees over {@link IncidentSignature} tokens, predicting
 * the incident type with a probability (the trees' averaged leaf distributions) and the alternatives. Trees rather
 * than a linear model: families are conjunctions (a request surge is a DDoS only with a bad-reputation
 * verdict; a utilization signal is predicted exhaustion only from a forecast detector), which trees split on
 * directly. Released as model {@value #MODEL_NAME} of family {@value #FAMILY} through {@link ModelReleases}.
 */
public final class DiagnosisModel {

    public static final String MODEL_NAME = "diagnosis";
    public static final String FAMILY = "diagnosis";
    public static final String UNKNOWN = "unknown";

    // Chosen on the seed history's held-out split (docs/diagnosis.md): 12 bagged trees of depth up to 16 reach 0.96
    // there and train in a fraction of a second, so a job can train at build time. Per-split feature sampling (a
    // random forest proper) was both slower with Tribuo's CART and less accurate on these sparse binary tokens.
    static final int TREES = 12;
    static final int MAX_DEPTH = 16;
    static final float MIN_CHILD_WEIGHT = 1f;

    private static final LabelFactory LABELS = new LabelFactory();
    // held here: java.util.logging keeps loggers weakly, and a collected logger forgets its level
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    private final Model<Label> model;

    private DiagnosisModel(Model<Label> model) {
        this.model = model;
    }

    /** Trains on a history; the same history and seed give the same trees. */
    public static DiagnosisModel train(List<PastIncident> history, String source, long seed) {
        if (history.isEmpty()) {
            throw new IllegalArgumentException("the incident history " + source + " is empty");
        }
        quietTribuo();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(
                "incident history " + source, LABELS), LABELS);
        for (PastIncident incident : history) {
            dataset.add(incident.incidentSignature().example(new Label(incident.incidentType())));
        }
        CARTClassificationTrainer tree = new CARTClassificationTrainer(MAX_DEPTH, MIN_CHILD_WEIGHT, 0f, 1f, false,
                new GiniIndex(), seed);
        BaggingTrainer<Label> ensemble = new BaggingTrainer<>(tree, new FullyWeightedVotingCombiner(), TREES, seed);
        return new DiagnosisModel(ensemble.train(dataset));
    }

    /** The model a release carries; fails naming the release when it is not a diagnosis classifier. */
    @SuppressWarnings("unchecked")
    public static DiagnosisModel fromRelease(ModelRelease release) {
        quietTribuo();
        Model<?> loaded = ModelReleases.tribuoModel(release);
        if (!loaded.validate(Label.class)) {
            throw new IllegalArgumentException("model " + release.getModelName() + " version " + release.getVersion()
                    + " is not a classifier of incident types");
        }
        return new DiagnosisModel((Model<Label>) loaded);
    }

    /** Loads the release {@link ModelReleases#write} left in {@code modelsDir}. */
    public static DiagnosisModel load(Path modelsDir) throws IOException {
        return fromRelease(readRelease(modelsDir));
    }

    /** The release file set of the diagnosis model in {@code modelsDir}. */
    public static ModelRelease readRelease(Path modelsDir) throws IOException {
        return ModelReleases.read(modelsDir, MODEL_NAME, 0L);
    }

    /** This model as a release; its signals are the tokens it was trained on. */
    public ModelRelease release(long publishedAtMillis, Map<String, String> metadata) {
        List<String> tokens = new ArrayList<>();
        model.getFeatureIDMap().forEach(feature -> tokens.add(feature.getName()));
        return ModelReleases.of(MODEL_NAME, FAMILY, model, tokens, publishedAtMillis, metadata);
    }

    public Model<Label> tribuoModel() {
        return model;
    }

    /** Scores a signature; a signature with no token the model knows is {@value #UNKNOWN} with probability 0. */
    public DiagnosisPrediction predict(IncidentSignature signature) {
        ImmutableFeatureMap features = model.getFeatureIDMap();
        int known = (int) signature.tokens().stream().filter(token -> features.get(token) != null).count();
        if (known == 0) {
            return new DiagnosisPrediction(UNKNOWN, 0.0, Map.of(), 0);
        }
        Example<Label> example = signature.example(LABELS.getUnknownOutput());
        Prediction<Label> prediction = model.predict(example);
        List<Map.Entry<String, Double>> ranked = new ArrayList<>();
        for (Map.Entry<String, Label> score : prediction.getOutputScores().entrySet()) {
            ranked.add(Map.entry(score.getKey(), score.getValue().getScore()));
        }
        // most probable first; ties by name so the outcome never depends on map order
        ranked.sort(Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey));
        Map<String, Double> alternatives = new LinkedHashMap<>();
        for (Map.Entry<String, Double> entry : ranked.subList(1, ranked.size())) {
            if (entry.getValue() > 0) {
                alternatives.put(entry.getKey(), entry.getValue());
            }
        }
        Map.Entry<String, Double> top = ranked.get(0);
        return new DiagnosisPrediction(top.getKey(), top.getValue(), alternatives, known);
    }

    private static void quietTribuo() {
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    /**
     * A version for a model trained in process from {@code history}: the serialized model carries its training time
     * in its provenance, so its own hash changes with every training; this one depends only on what it was trained
     * on and how, so a job restarted on the same history labels its diagnoses the same way.
     */
    public static String historyVersion(List<PastIncident> history, long seed) {
        String trainer = "bagged-cart trees=" + TREES + " depth=" + MAX_DEPTH + " minChildWeight=" + MIN_CHILD_WEIGHT
                + " seed=" + seed + "\n";
        return "h" + ModelReleases.versionOf((trainer + SeedHistory.format(history))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 11);
    }

    @Override
    public String toString() {
        return "DiagnosisModel[" + Objects.toString(model.getName()) + "]";
    }
}
