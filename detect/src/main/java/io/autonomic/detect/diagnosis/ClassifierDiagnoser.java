package io.autonomic.detect.diagnosis;

import io.autonomic.detect.config.IncidentSettings;
import io.autonomic.detect.incident.Diagnoser;
import io.autonomic.detect.incident.RulesDiagnoser;
import io.autonomic.models.diagnosis.DiagnosisModel;
import io.autonomic.models.diagnosis.DiagnosisPrediction;
import io.autonomic.models.diagnosis.IncidentSignature;
import io.autonomic.models.diagnosis.PastIncident;
import io.autonomic.models.diagnosis.SeedHistory;
import io.autonomic.models.release.ModelReleases;
import io.autonomic.schemas.avro.Anomaly;
import io.autonomic.schemas.avro.Diagnosis;
import io.autonomic.schemas.avro.ModelRelease;
import io.autonomic.schemas.avro.Resource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Diagnoses with the Tribuo diagnosis classifier over the incident's {@link IncidentSignature}, behind the user's
 * rules:
 * <ol>
 *   <li>When a threshold rule that names an incident type fired on the diagnosed resource itself, the rules decide
 *       ({@link RulesDiagnoser}): they are the user's explicit knowledge. The classifier still fills the
 *       alternatives and may raise the confidence when it agrees; its disagreement is stated in the summary.</li>
 *   <li>Otherwise the classifier decides: its most probable type, with that probability as the confidence, and
 *       {@code diagnoser = model:<version>}. Rules that fired only on other resources of a correlated incident (the
 *       callers of a failing database) do not decide what the root cause is, they are signature tokens.</li>
 *   <li>Below {@code minConfidence} the type is kept (it is the best guess humans get) but the summary says no
 *       playbook is proposed; {@link io.autonomic.detect.incident.PlaybookCatalog#decide} withholds the command
 *       with the same threshold (the incident settings' {@code minConfidence}).</li>
 * </ol>
 * Deterministic: the same evidence gives the same diagnosis. Serializable for Flink: it ships the model's serialized
 * bytes (serialized when first needed) and deserializes them lazily, once per task.
 */
public final class ClassifierDiagnoser implements Diagnoser {

    public static final String DIAGNOSER_PREFIX = "model:";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ClassifierDiagnoser.class);

    private final String modelName;
    private final String version;
    // the serialized model: what Flink ships; computed when first serialized for a model trained in process
    private byte[] payload;
    private final double minConfidence;
    private final RulesDiagnoser rules = new RulesDiagnoser();
    private transient volatile DiagnosisModel model;

    private ClassifierDiagnoser(String modelName, String version, byte[] payload, double minConfidence,
            DiagnosisModel model) {
        this.modelName = modelName;
        this.version = version;
        this.payload = payload;
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("minConfidence must be within [0, 1], was " + minConfidence);
        }
        this.minConfidence = minConfidence;
        this.model = model;
    }

    /**
     * Trains on the shipped seed incident history, deterministically (same trees on every build). Its version is
     * derived from the history, not the serialized model, so restarts label diagnoses the same way.
     */
    public static ClassifierDiagnoser fromSeedHistory() {
        List<PastIncident> history = SeedHistory.shipped();
        DiagnosisModel trained = DiagnosisModel.train(history, "seed history (classpath:" + SeedHistory.RESOURCE + ")",
                SeedHistory.SEED);
        return new ClassifierDiagnoser(DiagnosisModel.MODEL_NAME, DiagnosisModel.historyVersion(history,
                SeedHistory.SEED), null, IncidentSettings.DEFAULTS.minConfidence(), trained);
    }

    /** A published release (e.g. from the models topic); fails naming the release when it is not a classifier. */
    public static ClassifierDiagnoser fromRelease(ModelRelease release) {
        DiagnosisModel loaded = DiagnosisModel.fromRelease(release);
        return new ClassifierDiagnoser(release.getModelName(), release.getVersion(), bytes(release.getPayload()),
                IncidentSettings.DEFAULTS.minConfidence(), loaded);
    }

    /**
     * The model {@code autonomic train --diagnosis --output DIR} wrote into {@code modelsDir}.
     *
     * @throws IllegalArgumentException naming the directory and the problem, when it holds no readable model
     */
    public static ClassifierDiagnoser fromModelsDir(Path modelsDir) {
        ModelRelease release;
        try {
            release = DiagnosisModel.readRelease(modelsDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("no diagnosis model in " + modelsDir + " (" + e + "); train one with "
                    + "autonomic train --diagnosis --output " + modelsDir, e);
        }
        return fromRelease(release);
    }

    /** {@link #fromModelsDir} when {@code modelsDir} holds a diagnosis model, else {@link #fromSeedHistory}. */
    public static ClassifierDiagnoser fromModelsDirOrSeed(Path modelsDirOrNull) {
        if (modelsDirOrNull != null && Files.exists(modelsDirOrNull.resolve(
                ModelReleases.fileStem(DiagnosisModel.MODEL_NAME) + ".release"))) {
            return fromModelsDir(modelsDirOrNull);
        }
        return fromSeedHistory();
    }

    /** The same classifier with another threshold; use the incident settings' {@code minConfidence}. */
    public ClassifierDiagnoser withMinConfidence(double threshold) {
        return new ClassifierDiagnoser(modelName, version, payload, threshold, model);
    }

    public String version() {
        return version;
    }

    public double minConfidence() {
        return minConfidence;
    }

    @Override
    public Diagnosis diagnose(Resource resource, List<Anomaly> evidence) {
        IncidentSignature signature = IncidentSignature.fromEvidence(evidence);
        DiagnosisPrediction prediction;
        try {
            prediction = model().predict(signature);
        } catch (RuntimeException e) {
            // never fail the incident path: the rules still know what they know
            LOG.warn("diagnosis model {} version {} failed on {}; falling back to rules", modelName, version,
                    resource.getId(), e);
            Diagnosis byRules = rules.diagnose(resource, evidence);
            return Diagnosis.newBuilder(byRules).setSummary(byRules.getSummary() + "; classifier failed: " + e)
                    .setSignature(signature.tokenList()).build();
        }
        boolean ruleOnResource = evidence.stream().anyMatch(a -> RulesDiagnoser.isTypedRule(a)
                && a.getResource().getId().equals(resource.getId()));
        return ruleOnResource ? byRules(resource, evidence, signature, prediction)
                : byClassifier(resource, signature, prediction);
    }

    private Diagnosis byRules(Resource resource, List<Anomaly> evidence, IncidentSignature signature,
            DiagnosisPrediction prediction) {
        Diagnosis byRules = rules.diagnose(resource, evidence);
        String type = byRules.getIncidentType();
        double classifierAgreement = probabilityOf(prediction, type);
        String verdict = prediction.incidentType().equals(type)
                ? String.format(Locale.ROOT, "; classifier agrees (p=%.2f)", classifierAgreement)
                : String.format(Locale.ROOT, "; classifier suggests %s (p=%.2f), rules win", prediction.incidentType(),
                        prediction.probability());
        return Diagnosis.newBuilder(byRules)
                .setSummary(byRules.getSummary() + verdict)
                .setConfidence(Math.max(byRules.getConfidence(), classifierAgreement))
                .setAlternatives(alternativesExcept(prediction, type))
                .setSignature(signature.tokenList())
                .build();
    }

    private Diagnosis byClassifier(Resource resource, IncidentSignature signature, DiagnosisPrediction prediction) {
        String type = prediction.incidentType();
        StringBuilder summary = new StringBuilder(type).append(" on ").append(resource.getId());
        if (prediction.knownTokens() == 0) {
            summary.append(": the classifier knows none of the signature's ").append(signature.tokens().size())
                    .append(" tokens");
        } else {
            summary.append(String.format(Locale.ROOT, ": classifier %s p=%.2f from %d signature tokens",
                    DIAGNOSER_PREFIX + version, prediction.probability(), signature.tokens().size()));
            prediction.alternatives().entrySet().stream().limit(2).forEach(alternative -> summary.append(
                    String.format(Locale.ROOT, ", %s p=%.2f", alternative.getKey(), alternative.getValue())));
        }
        if (prediction.probability() < minConfidence) {
            summary.append(String.format(Locale.ROOT, "; below the %.2f confidence threshold: no playbook, for "
                    + "humans with the evidence", minConfidence));
        }
        return Diagnosis.newBuilder()
                .setIncidentType(type)
                .setSummary(summary.toString())
                .setConfidence(prediction.probability())
                .setRootCause(resource.getId())
                .setDiagnoser(DIAGNOSER_PREFIX + version)
                .setAlternatives(alternativesExcept(prediction, type))
                .setSignature(signature.tokenList())
                .build();
    }

    private static double probabilityOf(DiagnosisPrediction prediction, String type) {
        return prediction.incidentType().equals(type) ? prediction.probability()
                : prediction.alternatives().getOrDefault(type, 0.0);
    }

    /** Every type the classifier gave a chance, but the one diagnosed. */
    private static Map<String, Double> alternativesExcept(DiagnosisPrediction prediction, String type) {
        Map<String, Double> alternatives = new LinkedHashMap<>();
        if (prediction.probability() > 0) {
            alternatives.put(prediction.incidentType(), prediction.probability());
        }
        alternatives.putAll(prediction.alternatives());
        alternatives.remove(type);
        return alternatives;
    }

    private DiagnosisModel model() {
        DiagnosisModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                loaded = model;
                if (loaded == null) {
                    loaded = DiagnosisModel.fromRelease(ModelRelease.newBuilder()
                            .setModelName(modelName)
                            .setFamily(DiagnosisModel.FAMILY)
                            .setVersion(version)
                            .setFormat(ModelReleases.FORMAT)
                            .setPayload(ByteBuffer.wrap(payload))
                            .setPublishedAtMillis(0L)
                            .build());
                    model = loaded;
                }
            }
        }
        return loaded;
    }

    private synchronized byte[] payload() {
        if (payload == null) {
            payload = bytes(model.release(0L, Map.of()).getPayload());
        }
        return payload;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws IOException {
        payload();
        out.defaultWriteObject();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "ClassifierDiagnoser[" + DIAGNOSER_PREFIX + version + ", minConfidence=" + minConfidence + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClassifierDiagnoser that && version.equals(that.version)
                && minConfidence == that.minConfidence && modelName.equals(that.modelName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelName, version, minConfidence);
    }
}
