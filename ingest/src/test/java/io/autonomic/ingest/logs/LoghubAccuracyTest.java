package io.autonomic.ingest.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoghubAccuracyTest {

    private static final Path DATA = Path.of("..", "..", "shared", "data", "loghub");

    @Test
    void groupingAccuracy_loghubSystems_holdsFloors() throws Exception {
        Path data = locate();
        assumeTrue(data != null, "Loghub data not found at ../shared/data/loghub relative to the project root: skipping");
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (String system : LoghubBenchmark.SETTINGS.keySet()) {
            accuracy.put(system, LoghubBenchmark.accuracy(data, system));
        }
        double average = accuracy.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        StringBuilder table = new StringBuilder();
        accuracy.forEach((s, a) -> table.append(String.format("| %s | %.3f |%n", s, a)));
        table.append(String.format("| average | %.3f |%n", average));
        System.out.println(table);
        assertThat(accuracy).allSatisfy((system, value) -> assertThat(value).as(system).isGreaterThanOrEqualTo(FLOORS.get(system)));
        assertThat(average).isGreaterThanOrEqualTo(0.875);
    }

    /** A little below the accuracy measured when the table in docs/log-templates.md was written. */
    private static final Map<String, Double> FLOORS = Map.ofEntries(
            Map.entry("HDFS", 0.99), Map.entry("Hadoop", 0.94), Map.entry("Spark", 0.91), Map.entry("Zookeeper", 0.96),
            Map.entry("BGL", 0.95), Map.entry("HPC", 0.92), Map.entry("Thunderbird", 0.95), Map.entry("Windows", 0.99),
            Map.entry("Linux", 0.68), Map.entry("Android", 0.90), Map.entry("HealthApp", 0.77), Map.entry("Apache", 0.99),
            Map.entry("Proxifier", 0.52), Map.entry("OpenSSH", 0.99), Map.entry("OpenStack", 0.72), Map.entry("Mac", 0.78));

    static Path locate() {
        for (Path candidate : new Path[] {Path.of("..", "shared", "data", "loghub"), DATA}) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
