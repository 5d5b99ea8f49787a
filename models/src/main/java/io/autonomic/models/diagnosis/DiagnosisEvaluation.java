package io.autonomic.models.diagnosis;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a diagnosis model does on labeled incidents it did not train on, scored through {@link
 * DiagnosisModel#predict} (the live path).
 *
 * @param confusion true type -> predicted type -> count
 */
public record DiagnosisEvaluation(int incidents, int correct, Map<String, Map<String, Integer>> confusion) {

    public static DiagnosisEvaluation of(DiagnosisModel model, List<PastIncident> heldOut) {
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        int correct = 0;
        for (PastIncident incident : heldOut) {
            String predicted = model.predict(incident.incidentSignature()).incidentType();
            confusion.computeIfAbsent(incident.incidentType(), t -> new TreeMap<>()).merge(predicted, 1, Integer::sum);
            if (predicted.equals(incident.incidentType())) {
                correct++;
            }
        }
        return new DiagnosisEvaluation(heldOut.size(), correct, confusion);
    }

    public double accuracy() {
        return incidents == 0 ? 0 : (double) correct / incidents;
    }

    /** Of the incidents predicted as {@code type}, the fraction that were. */
    public double precision(String type) {
        int predicted = 0;
        for (Map<String, Integer> row : confusion.values()) {
            predicted += row.getOrDefault(type, 0);
        }
        return predicted == 0 ? 0 : (double) confusion.getOrDefault(type, Map.of()).getOrDefault(type, 0) / predicted;
    }

    /** Of the incidents that were {@code type}, the fraction predicted as such. */
    public double recall(String type) {
        Map<String, Integer> row = confusion.getOrDefault(type, Map.of());
        int actual = row.values().stream().mapToInt(Integer::intValue).sum();
        return actual == 0 ? 0 : (double) row.getOrDefault(type, 0) / actual;
    }

    /** Types seen as truth or prediction, sorted. */
    public TreeSet<String> types() {
        TreeSet<String> types = new TreeSet<>(confusion.keySet());
        confusion.values().forEach(row -> types.addAll(row.keySet()));
        return types;
    }

    /** Accuracy, per-type precision and recall, and every confusion (true -> predicted). */
    public void print(PrintStream out) {
        out.printf(Locale.ROOT, "held-out accuracy: %.3f (%d of %d)%n", accuracy(), correct, incidents);
        out.printf(Locale.ROOT, "%-22s %9s %9s %8s%n", "type", "precision", "recall", "support");
        for (String type : types()) {
            int support = confusion.getOrDefault(type, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
            out.printf(Locale.ROOT, "%-22s %9.3f %9.3f %8d%n", type, precision(type), recall(type), support);
        }
        boolean any = false;
        for (Map.Entry<String, Map<String, Integer>> row : confusion.entrySet()) {
            for (Map.Entry<String, Integer> cell : row.getValue().entrySet()) {
                if (!cell.getKey().equals(row.getKey())) {
                    if (!any) {
                        out.println("confusions (true -> predicted: count):");
                        any = true;
                    }
                    out.printf(Locale.ROOT, "  %s -> %s: %d%n", row.getKey(), cell.getKey(), cell.getValue());
                }
            }
        }
        if (!any) {
            out.println("confusions: none");
        }
    }
}
