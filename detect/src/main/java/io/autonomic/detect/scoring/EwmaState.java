package io.autonomic.detect.scoring;

/**
 * The learned baseline of one series, kept in Flink state (a POJO with public fields so Flink serializes it without
 * Kryo). Mutated in place by {@link EwmaZScoreDetector#score}. Sized to stay small per series: under 800 bytes
 * serialized with the default 48 daily buckets (three float profiles of 48 buckets and a dozen scalars).
 */
public class EwmaState {

    /** Points seen so far, including warm-up; saturates long before it could overflow. */
    public long count;
    /** EWMA of the de-seasonalized value: the expected value. */
    public double level;
    /** EWMA of the absolute deviation from the level: the robust spread. */
    public double meanAbsoluteDeviation;
    /** The previous value as observed (before de-seasonalizing), for {@link #meanStep}. */
    public double lastValue;
    /** Mean absolute change between consecutive values, over changes only: the series' resolution. */
    public double meanStep;
    /** True while the previous point was anomalous: {@link #anchorLevel} then holds the level before the run. */
    public boolean inAnomaly;
    /** Anomalous points in a row so far (0 when the previous point was normal). */
    public int anomalyRun;
    /** The level just before the current run of anomalous points, so a return to it is seen as recovery. */
    public double anchorLevel;

    /** Timestamp of the first point: the daily profile is trusted in proportion to the days seen since. */
    public long firstTimestampMillis;
    /** Timestamp of the latest scored point, for time-aware decay; {@link Long#MIN_VALUE} before the first. */
    public long lastTimestampMillis = Long.MIN_VALUE;
    /** The series' typical sampling interval (an EWMA of the gaps between points), in milliseconds; 0 unknown. */
    public double intervalMillis;
    /** A slow level of the de-seasonalized value: the reference the profiles are learned against. */
    public double slowLevel;
    /** Daily profile: mean offset from {@link #slowLevel} per time-of-day bucket; null until the first point. */
    public float[] dailyProfile;
    /** Weekend profile: the daily profile learned from Saturdays and Sundays (UTC) only; null until one is seen. */
    public float[] weekendProfile;
    /** Weekend points learned into {@link #weekendProfile}. */
    public long weekendPoints;
    /** True once the weekend profile differs from the weekday one by more than the noise (re-checked daily). */
    public boolean weeklyStructure;

    /** Page's CUSUM of upward standardized errors (level-shift detector). */
    public double shiftUp;
    /** Page's CUSUM of downward standardized errors. */
    public double shiftDown;
    /** EWMA of the larger CUSUM: how high the sums usually run, so a series that wanders does not fire. */
    public double meanShift;
    /** Fast EWMA of the absolute one-step error (variance-change detector: compared with the long scale). */
    public double recentAbsoluteDeviation;
    /** A medium (~10 points) level of the de-seasonalized value: the trend detector's view of where it is now. */
    public double mediumLevel;
    /** EWMA of |mediumLevel - slowLevel|: how far the level usually strays from its slow reference (trend detector). */
    public double meanDrift;

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
