package io.autonomic.detect.scoring;

/**
 * The learned baseline of one series, kept in Flink state (a POJO with public fields so Flink serializes it without
 * Kryo). Mutated in place by {@link EwmaZScoreDetector#score}.
 */
public class EwmaState {

    /** Points seen so far, including warm-up; saturates long before it could overflow. */
    public long count;
    /** EWMA of the value: the expected value. */
    public double level;
    /** EWMA of the absolute deviation from the level: the robust spread. */
    public double meanAbsoluteDeviation;
    /** True while the previous point was anomalous: {@link #anchorLevel} then holds the level before the run. */
    public boolean inAnomaly;
    /** The level just before the current run of anomalous points, so a return to it is seen as recovery. */
    public double anchorLevel;

    /** Timestamp of the first point: the daily profile is trusted in proportion to the days seen since. */
    public long firstTimestampMillis;
    /** A slow level of the de-seasonalized value: the reference the daily profile is learned against. */
    public double slowLevel;
    /** Daily profile: mean offset from {@link #slowLevel} per time-of-day bucket; null until the first point. */
    public float[] dailyProfile;

    public EwmaState() {
    }

    public EwmaState(long count, double level, double meanAbsoluteDeviation) {
        this.count = count;
        this.level = level;
        this.meanAbsoluteDeviation = meanAbsoluteDeviation;
    }

    @Override
    public String toString() {
        return "EwmaState{count=" + count + ", level=" + level + ", mad=" + meanAbsoluteDeviation
                + (inAnomaly ? ", anchor=" + anchorLevel : "") + '}';
    }
}
