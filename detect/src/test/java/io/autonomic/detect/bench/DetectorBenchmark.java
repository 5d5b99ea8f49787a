package io.autonomic.detect.bench;

import io.autonomic.detect.config.DetectorSettings;
import io.autonomic.detect.scoring.EwmaScore;
import io.autonomic.detect.scoring.EwmaState;
import io.autonomic.detect.scoring.EwmaZScoreDetector;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
 * Cost of scoring one point with the full default detector ensemble (z-score, level shift, variance change, trend
 * change, daily profile, time-aware decay), the same with the weekend profile on, and of serializing one series'
 * state with the serializer Flink uses for it in production (the POJO serializer of {@link EwmaState}); the setup
 * prints the serialized size per active series for both.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DetectorBenchmark {

    private static final int VALUES = 4096;
    private static final long FIVE_MINUTES = 300_000L;

    private final EwmaZScoreDetector detector = new EwmaZScoreDetector(DetectorSettings.DEFAULTS);
    private final EwmaZScoreDetector weeklyDetector = new EwmaZScoreDetector(
            io.autonomic.detect.config.DetectConfig.parse("detector:\n  weeklyProfile: true\n", "bench").detector());
    private final double[] values = new double[VALUES];
    private EwmaState state;
    private EwmaState weeklyState;
    private int next;
    private long timestampMillis = 1_767_225_600_000L;
    private TypeSerializer<EwmaState> serializer;
    private final DataOutputSerializer buffer = new DataOutputSerializer(128);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < VALUES; i++) {
            // mostly noise around a level, with an occasional spike so the anomalous path is exercised too
            values[i] = i % 500 == 499 ? 400 : 100 + 5 * random.nextGaussian();
        }
        state = new EwmaState();
        weeklyState = new EwmaState();
        // ten days of 5-minute points: profiles in use and every detector of the ensemble settled
        for (int i = 0; i < 10 * 288; i++) {
            timestampMillis += FIVE_MINUTES;
            detector.score(state, timestampMillis, values[i & (VALUES - 1)]);
            weeklyDetector.score(weeklyState, timestampMillis, values[i & (VALUES - 1)]);
        }
        serializer = TypeInformation.of(EwmaState.class).createSerializer(new SerializerConfigImpl());
        buffer.clear();
        serializer.serialize(state, buffer);
        System.out.println("EwmaState (defaults) serialized by " + serializer.getClass().getSimpleName() + ": "
                + buffer.length() + " bytes per series");
        buffer.clear();
        serializer.serialize(weeklyState, buffer);
        System.out.println("EwmaState (weekend profile on) serialized: " + buffer.length() + " bytes per series");
    }

    @Benchmark
    public EwmaScore scorePoint() {
        next = (next + 1) & (VALUES - 1);
        timestampMillis += FIVE_MINUTES;
        return detector.score(state, timestampMillis, values[next]);
    }

    @Benchmark
    public EwmaScore scorePointWithWeekendProfile() {
        next = (next + 1) & (VALUES - 1);
        timestampMillis += FIVE_MINUTES;
        return weeklyDetector.score(weeklyState, timestampMillis, values[next]);
    }

    @Benchmark
    public int serializeState() throws IOException {
        buffer.clear();
        serializer.serialize(state, buffer);
        return buffer.length();
    }
}
