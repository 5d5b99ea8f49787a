package io.autonomic.models.diagnosis;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one diagnosis by the classifier trained on the seed history (predict over a seed incident's signature,
 * including building the example), and of training on the whole seed history as a job does at build time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DiagnosisBenchmark {

    private List<PastIncident> history;
    private DiagnosisModel model;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        history = SeedHistory.shipped();
        model = DiagnosisModel.train(history, "seed", SeedHistory.SEED);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public DiagnosisPrediction predict() {
        next = (next + 1) % history.size();
        return model.predict(history.get(next).incidentSignature());
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public DiagnosisModel trainOnTheSeedHistory() {
        return DiagnosisModel.train(history, "seed", SeedHistory.SEED);
    }
}
