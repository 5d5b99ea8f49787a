package io.autonomic.detect.scoring;

import io.autonomic.detect.config.DetectorSettings;
import java.io.Serializable;
import java.util.Objects;

/**
 * The learned per-series detector: one streaming baseline (a fast EWMA level of the de-seasonalized value, a robust
 * scale, daily and weekend profiles) and four detectors reading it, each turning its own statistic into a score in
 * [0, 1]; the point's score is the highest, and the result names the detector that gave it.
 *
 * <ul>
 *   <li>{@code ewma-zscore} (spikes and the onset of any sudden change): {@code |value - level| / scale} above the
 *       threshold.
 *   <li>{@code level-shift}: Page's two-sided CUSUM of the standardized one-step errors, each clipped to the
 *       threshold and minus a slack of half a scale. Because the fast level follows a shift within a few points, the
 *       sum of its errors is about twice the distance the level moved: the CUSUM fires when the level moved by
 *       several scales in a short stretch, although no single point was extreme (shallow shifts, ramps).
 *   <li>{@code variance-change}: a fast (about 10 points) mean absolute error over the long-run one (about 100
 *       points), the errors clipped at twice the threshold so one spike is not a burst.
 *   <li>{@code trend-change}: the distance between the fast level and a slow (about 200 points) level, compared with
 *       how far the two usually stray apart; a slow drift that the fast level follows unnoticed pulls it away from
 *       the slow level.
 * </ul>
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>Absolute deviation instead of variance: one spike inflates a variance quadratically and blinds the detector
 *       for a while; the mean absolute deviation (times 1.2533, its ratio to sigma for normal data) grows linearly.
 *   <li>Scale floor {@code max(absoluteFloor, relativeFloor * |level|, meanStep / 2)}: a flat series has zero
 *       deviation and would otherwise call any rounding change infinitely abnormal; {@code meanStep}, the mean size of
 *       the changes between consecutive values (changes only), is the series' own resolution, so a sparse series (an
 *       error ratio at 0 with rare 0.01 blips) does not alarm on its usual blip, whatever its units.
 *   <li>Warm-up: the first {@code warmup} points only learn, with weight {@code max(alpha, 1/n)} so the baseline is
 *       the plain running mean at first instead of being dragged from zero. The level-shift and trend detectors
 *       wait ten warm-ups and, with a daily profile, three times {@code seasonalDays}: until the profile has
 *       converged, every daily ramp looks like a shift or a trend to them. A CUSUM also fires only well above its
 *       own usual height, so a series whose sums run high every day needs a larger change.
 *   <li>Anomalous values (spikes) update the baseline with {@code anomalyWeight} of the normal weight: a spike barely
 *       moves it, a lasting level shift wins after a few points and then counts as normal.
 *   <li>Recovery: while points are anomalous the level from before the run is kept; a point back within the band
 *       around it ends the run as normal, so the end of a fault does not raise a second, false, anomaly.
 *   <li>One alert per change: the level-shift sums restart after firing, and a level shift or a trend change makes
 *       the current level the slow reference, so a lasting change is reported once instead of for hours.
 *   <li>Time-aware decay: each weight applies per learned sampling interval elapsed ({@code 1 - (1 - a)^steps}), so
 *       irregular sampling weighs points by the time they cover. A gap counts as at most {@code maxGapPoints}
 *       points: a gap usually means the process was down, and the pre-gap baseline stays the reference the first
 *       point after it is scored against.
 *   <li>Weekly seasonality, cheaply ({@code weeklyProfile}, off by default): a second daily profile learned from
 *       weekends only, used on weekends once two weekend days were seen and it differs from the weekday profile by
 *       more than the noise, blended in and out over two hours around midnight.
 * </ul>
 * Stateless itself: all state lives in the {@link EwmaState} passed in, so one instance serves every series.
 */
public final class EwmaZScoreDetector implements Serializable {

    /** Mean absolute deviation times this estimates the standard deviation of normal data. */
    static final double MAD_TO_SIGMA = Math.sqrt(Math.PI / 2);
    static final long DAY_MILLIS = 86_400_000L;
    /** Weight of a point in the slow reference level the profiles and the trend detector use (~200 points). */
    static final double SLOW_LEVEL_ALPHA = 0.005;
    /** The scale never drops below this fraction of the series' mean step between consecutive values. */
    static final double RESOLUTION_FLOOR = 0.5;
    /** Weight of a change in the mean step (~100 changes). */
    static final double STEP_ALPHA = 0.01;
    /** Slack of the level-shift CUSUM per point, in scales. */
    static final double SHIFT_SLACK = 0.5;
    /**
     * The level-shift CUSUM fires only this many times above its own usual value: where imperfect seasonality makes
     * the sums run high every day, only an unusually high one is a shift.
     */
    static final double SHIFT_RATIO = 6.0;
    /** Anomalous points in a row from which a run is a sustained fault rather than a burst of noise. */
    static final int SUSTAINED_RUN = 3;
    /** Weight of a point in the usual value of the level-shift CUSUM (~100 points). */
    static final double SHIFT_MEAN_ALPHA = 0.01;
    /** Weight of a point in the recent absolute error of the variance-change detector (~10 points). */
    static final double RECENT_SPREAD_ALPHA = 0.1;
    /** Weight of a point in the medium level the trend detector compares with the slow one (~10 points). */
    static final double MEDIUM_LEVEL_ALPHA = 0.1;
    /** The usual medium-to-slow distance counts as at least this fraction of the scale. */
    static final double DRIFT_SCALE_FLOOR = 0.5;
    /** Weight of a point in the usual fast-to-slow level distance of the trend detector (~500 points). */
    static final double DRIFT_ALPHA = 0.002;
    /** Warm-ups before the level-shift and trend detectors may fire: their references need that long. */
    static final int SETTLING_WARMUPS = 10;
    /**
     * With a daily profile, the level-shift and trend detectors also wait this many {@code seasonalDays}: until the
     * profile has converged, every daily ramp looks like a shift or a trend to them.
     */
    static final double SETTLING_SEASONAL_DAYS = 3.0;
    /** Weight of a point in the learned sampling interval. */
    static final double INTERVAL_ALPHA = 0.05;
    /** The weekend profile is used once it differs from the weekday one by this many sigmas (root mean square). */
    static final double WEEKLY_STRUCTURE_SIGMAS = 1.0;
    /** Half the time over which the weekend profile is blended in and out around midnight. */
    static final long WEEKEND_BLEND_MILLIS = 3_600_000L;
    /** Weekend days to learn before the weekend profile may be used. */
    static final double WEEKEND_DAYS_BEFORE_USE = 2.0;

    private final DetectorSettings settings;

    public EwmaZScoreDetector(DetectorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public DetectorSettings settings() {
        return settings;
    }

    /**
     * Scores {@code value} against {@code state}, then learns from it. A non-finite value is neither scored nor
     * learned.
     */
    public EwmaScore score(EwmaState state, double value) {
        return score(state, Long.MIN_VALUE, value);
    }

    /**
     * Scores {@code value}, observed at {@code timestampMillis}, against {@code state} and learns from it, including
     * the series' daily profile. {@link Long#MIN_VALUE} means "no timestamp": no seasonal adjustment, one point per
     * step.
     */
    public EwmaScore score(EwmaState state, long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return EwmaScore.warmup(state.level);
        }
        boolean timed = timestampMillis != Long.MIN_VALUE;
        double steps = timed ? elapsedSteps(state, timestampMillis) : 1;
        boolean seasonalOn = timed && settings.seasonalBuckets() > 0;
        double trust = 0;
        double seasonal = 0;
        if (seasonalOn && state.dailyProfile != null && state.dailyProfile.length == settings.seasonalBuckets()) {
            trust = seasonalTrust(state, timestampMillis);
            seasonal = trust * profileAt(state, timestampMillis);
        }
        double raw = value;
        value = raw - seasonal;
        if (state.count < settings.warmup()) {
            learnStep(state, raw, 1);
            learnDuringWarmup(state, value);
            if (seasonalOn) {
                learnSeason(state, timestampMillis, raw, false, steps);
            }
            return EwmaScore.warmup(state.level + seasonal);
        }
        boolean settled = state.count >= (long) SETTLING_WARMUPS * settings.warmup()
                && (!seasonalOn || (timestampMillis - state.firstTimestampMillis)
                        >= SETTLING_SEASONAL_DAYS * settings.seasonalDays() * DAY_MILLIS);
        int runBefore = state.anomalyRun;
        EwmaScore result = scoreDeseasonalized(state, value, seasonal, scale(state), steps, settled);
        // An anomaly is not the series' usual step, and neither is the way back from a sustained fault: learning it
        // would raise the scale floor to the fault's size and hide the same fault when it recurs. The way back from
        // a one- or two-point blip is learned: on a sparse series such blips are its resolution.
        learnStep(state, raw, result.anomalous() || runBefore >= SUSTAINED_RUN ? 0 : 1);
        if (seasonalOn) {
            learnSeason(state, timestampMillis, raw, result.anomalous() && isSpike(result), steps);
        }
        return result;
    }

    private EwmaScore scoreDeseasonalized(EwmaState state, double value, double seasonal, double scale,
            double steps, boolean settled) {
        double level = state.level;
        double z = (value - level) / scale;
        double threshold = settings.threshold();
        boolean spike = Math.abs(z) > threshold;
        if (spike && state.inAnomaly && Math.abs(value - state.anchorLevel) <= threshold * scale) {
            // Back to where the series was before the anomaly began: a recovery, not a new anomaly. The level had
            // crept towards the faulty values (anomalyWeight); restart it from the pre-anomaly reference.
            spike = false;
            state.level = state.anchorLevel;
            level = state.anchorLevel;
            z = (value - level) / scale;
            state.shiftUp = 0;
            state.shiftDown = 0;
            if (state.anomalyRun >= SUSTAINED_RUN) {
                // a sustained fault is over: its errors against the creeping level were not noise
                state.recentAbsoluteDeviation = state.meanAbsoluteDeviation;
            }
        }

        // Level shift: CUSUM of clipped standardized errors.
        double clipped = Math.max(-threshold, Math.min(threshold, z));
        state.shiftUp = Math.max(0, state.shiftUp + clipped - SHIFT_SLACK);
        state.shiftDown = Math.max(0, state.shiftDown - clipped - SHIFT_SLACK);
        double shift = Math.max(state.shiftUp, state.shiftDown);
        double shiftStatistic = settings.levelShiftThreshold() > 0 && settled
                ? shift / Math.max(settings.levelShiftThreshold(), SHIFT_RATIO * state.meanShift) : 0;
        if (shiftStatistic <= 1) {
            state.meanShift += decayed(SHIFT_MEAN_ALPHA, steps) * (shift - state.meanShift);
        }

        // Variance change: recent absolute error against the long-run one; errors clipped so one spike is not a burst.
        double absoluteError = Math.min(Math.abs(value - level), 2 * threshold * scale);
        state.recentAbsoluteDeviation += decayed(RECENT_SPREAD_ALPHA, steps)
                * (absoluteError - state.recentAbsoluteDeviation);
        double varianceStatistic = settings.varianceRatio() > 0
                ? state.recentAbsoluteDeviation / (scale / MAD_TO_SIGMA) / settings.varianceRatio() : 0;

        // Learn the level and scale (spikes at a fraction of the weight).
        double weight = spike ? settings.anomalyWeight() : 1.0;
        state.level = level + weight * decayed(settings.alpha(), steps) * (value - level);
        state.meanAbsoluteDeviation += weight * decayed(settings.scaleAlpha(), steps)
                * (Math.abs(value - level) - state.meanAbsoluteDeviation);
        state.slowLevel += weight * decayed(SLOW_LEVEL_ALPHA, steps) * (value - state.slowLevel);

        // Trend change: the medium level pulled away from the slow one, against how far they usually stray.
        state.mediumLevel += weight * decayed(MEDIUM_LEVEL_ALPHA, steps) * (value - state.mediumLevel);
        double drift = Math.abs(state.mediumLevel - state.slowLevel);
        double trendStatistic = 0;
        if (settings.trendThreshold() > 0 && settled) {
            trendStatistic = drift / (settings.trendThreshold() * Math.max(state.meanDrift, DRIFT_SCALE_FLOOR * scale));
        }
        if (!spike && trendStatistic <= 1) {
            state.meanDrift += decayed(DRIFT_ALPHA, steps) * (drift - state.meanDrift);
        }

        double spikeStatistic = Math.abs(z) / threshold;
        String detector = Anomalies.EWMA_DETECTOR;
        double statistic = spike ? spikeStatistic : 0;
        if (shiftStatistic > 1 && shiftStatistic > statistic) {
            detector = Anomalies.LEVEL_SHIFT_DETECTOR;
            statistic = shiftStatistic;
        }
        if (varianceStatistic > 1 && varianceStatistic > statistic) {
            detector = Anomalies.VARIANCE_DETECTOR;
            statistic = varianceStatistic;
        }
        if (trendStatistic > 1 && trendStatistic > statistic) {
            detector = Anomalies.TREND_DETECTOR;
            statistic = trendStatistic;
        }
        boolean anomalous = statistic > 1;
        if (shiftStatistic > 1) {
            // reported once: the sums restart, and the level reached is the new reference of the trend detector too
            state.shiftUp = 0;
            state.shiftDown = 0;
            state.slowLevel = state.level;
            state.mediumLevel = state.level;
        }
        if (trendStatistic > 1) {
            state.slowLevel = state.mediumLevel;
        }
        if (anomalous && !state.inAnomaly) {
            state.anchorLevel = level;
        }
        state.inAnomaly = anomalous;
        state.anomalyRun = anomalous ? Math.min(state.anomalyRun + 1, Integer.MAX_VALUE - 1) : 0;
        if (state.count < Long.MAX_VALUE) {
            state.count++;
        }
        double score = anomalous ? clip(1 - Math.exp(-(statistic - 1))) : 0.0;
        double suspicion = Math.max(Math.max(spikeStatistic, shiftStatistic), Math.max(varianceStatistic,
                trendStatistic));
        double expected = level + seasonal;
        return new EwmaScore(false, anomalous, z, score, expected, expected - threshold * scale,
                expected + threshold * scale, detector, suspicion);
    }

    private static boolean isSpike(EwmaScore score) {
        return Anomalies.EWMA_DETECTOR.equals(score.detector());
    }

    /**
     * Sampling intervals elapsed since the previous point (learning the interval on the way), capped at
     * {@code maxGapPoints}. Out-of-order and duplicate points count as one step and do not move the clock back.
     */
    private double elapsedSteps(EwmaState state, long timestampMillis) {
        long previous = state.lastTimestampMillis;
        if (previous == Long.MIN_VALUE || timestampMillis <= previous) {
            if (previous == Long.MIN_VALUE) {
                state.lastTimestampMillis = timestampMillis;
            }
            return 1;
        }
        state.lastTimestampMillis = timestampMillis;
        double gap = timestampMillis - previous;
        if (state.intervalMillis <= 0) {
            state.intervalMillis = gap;
            return 1;
        }
        double steps = gap / state.intervalMillis;
        // learned from ordinary gaps: an outage must not stretch the interval
        state.intervalMillis += INTERVAL_ALPHA * (Math.min(gap, 3 * state.intervalMillis) - state.intervalMillis);
        return Math.min(steps, settings.maxGapPoints());
    }

    /** The weight {@code alpha} per step compounded over {@code steps} steps. */
    private static double decayed(double alpha, double steps) {
        return steps == 1 ? alpha : 1 - Math.pow(1 - alpha, steps);
    }

    /** How far the daily profile is trusted: linearly over the first {@code seasonalDays} days of the series. */
    private double seasonalTrust(EwmaState state, long timestampMillis) {
        double days = (timestampMillis - state.firstTimestampMillis) / (double) DAY_MILLIS;
        return Math.max(0, Math.min(1, days / settings.seasonalDays()));
    }

    /**
     * The seasonal offset at this time: the daily profile, or on weekends the weekend profile once it has shown
     * weekly structure, blended over two hours around midnight at the start and end of the weekend so switching
     * profiles does not put a step into the de-seasonalized series.
     */
    private static double profileAt(EwmaState state, long timestampMillis) {
        double daily = interpolate(state.dailyProfile, timestampMillis);
        if (!state.weeklyStructure || state.weekendProfile == null) {
            return daily;
        }
        double weekend = weekendWeight(timestampMillis);
        return weekend == 0 ? daily : (1 - weekend) * daily + weekend * interpolate(state.weekendProfile,
                timestampMillis);
    }

    /** 1 on weekends (UTC), 0 on weekdays, linear over the hour either side of the midnights in between. */
    static double weekendWeight(long timestampMillis) {
        long day = Math.floorMod(Math.floorDiv(timestampMillis, DAY_MILLIS), 7L);
        double sinceMidnight = Math.floorMod(timestampMillis, DAY_MILLIS);
        double ramp = 2 * WEEKEND_BLEND_MILLIS;
        double weight = switch ((int) day) {
            case 1 -> 0.5 - (DAY_MILLIS - sinceMidnight) / ramp; // Friday, towards Saturday
            case 2 -> 0.5 + sinceMidnight / ramp; // Saturday
            case 3 -> 0.5 + (DAY_MILLIS - sinceMidnight) / ramp; // Sunday, towards Monday
            case 4 -> 0.5 - sinceMidnight / ramp; // Monday
            default -> 0;
        };
        return Math.max(0, Math.min(1, weight));
    }

    static boolean isWeekend(long timestampMillis) {
        // 1970-01-01 was a Thursday: day 1 of the epoch week is Friday, 2 Saturday, 3 Sunday, 4 Monday
        long dayOfWeek = Math.floorMod(Math.floorDiv(timestampMillis, DAY_MILLIS), 7L);
        return dayOfWeek == 2 || dayOfWeek == 3;
    }

    /** A profile's value at this time of day, linear between bucket centres. */
    private static double interpolate(float[] profile, long timestampMillis) {
        int buckets = profile.length;
        double x = Math.floorMod(timestampMillis, DAY_MILLIS) / (double) DAY_MILLIS * buckets - 0.5;
        double floor = Math.floor(x);
        int i0 = Math.floorMod((int) floor, buckets);
        double w = x - floor;
        return (1 - w) * profile[i0] + w * profile[(i0 + 1) % buckets];
    }

    /** Moves a profile towards {@code target} at this time of day, split between the two nearest buckets. */
    private static void learnProfile(float[] profile, long timestampMillis, double target, double rate) {
        int buckets = profile.length;
        double x = Math.floorMod(timestampMillis, DAY_MILLIS) / (double) DAY_MILLIS * buckets - 0.5;
        double floor = Math.floor(x);
        int i0 = Math.floorMod((int) floor, buckets);
        int i1 = (i0 + 1) % buckets;
        double w = x - floor;
        profile[i0] += (float) (rate * (1 - w) * (target - profile[i0]));
        profile[i1] += (float) (rate * w * (target - profile[i1]));
    }

    private void learnSeason(EwmaState state, long timestampMillis, double raw, boolean spike, double steps) {
        int buckets = settings.seasonalBuckets();
        if (state.dailyProfile == null || state.dailyProfile.length != buckets) {
            state.dailyProfile = new float[buckets];
            state.weekendProfile = null;
            state.weekendPoints = 0;
            state.weeklyStructure = false;
            state.firstTimestampMillis = timestampMillis;
            state.slowLevel = raw;
            return;
        }
        double weight = spike ? settings.anomalyWeight() : 1.0;
        double rate = weight * decayed(settings.seasonalAlpha(), steps);
        boolean weekend = isWeekend(timestampMillis);
        double offset = raw - state.slowLevel;
        if (!weekend || !state.weeklyStructure) {
            learnProfile(state.dailyProfile, timestampMillis, offset, rate);
        }
        if (settings.weeklyProfile() && weekend) {
            if (state.weekendProfile == null) {
                state.weekendProfile = state.dailyProfile.clone();
            }
            learnProfile(state.weekendProfile, timestampMillis, offset, rate);
            state.weekendPoints++;
            if (state.weekendPoints % 16 == 0) {
                state.weeklyStructure = weeklyStructureShown(state);
            }
        }
    }

    /** Two weekend days learned, and the weekend profile differs from the weekday one by more than the noise. */
    private boolean weeklyStructureShown(EwmaState state) {
        double weekendDays = state.intervalMillis * state.weekendPoints / DAY_MILLIS;
        if (weekendDays < WEEKEND_DAYS_BEFORE_USE) {
            return false;
        }
        double sum = 0;
        for (int i = 0; i < state.dailyProfile.length; i++) {
            double difference = state.weekendProfile[i] - state.dailyProfile[i];
            sum += difference * difference;
        }
        double rms = Math.sqrt(sum / state.dailyProfile.length);
        return rms > WEEKLY_STRUCTURE_SIGMAS * MAD_TO_SIGMA * state.meanAbsoluteDeviation;
    }

    /** The robust scale of a series, floored. */
    public double scale(EwmaState state) {
        double floor = Math.max(settings.absoluteFloor(), Math.max(settings.relativeFloor() * Math.abs(state.level),
                RESOLUTION_FLOOR * state.meanStep));
        return Math.max(MAD_TO_SIGMA * state.meanAbsoluteDeviation, floor);
    }

    /**
     * Learns the series' resolution: the mean size of the changes between consecutive values, over changes only.
     * A sparse series (an error ratio at 0 with rare 0.01 blips) has a tiny mean deviation but steps of 0.01, and
     * one such blip is its normal; a continuous noisy series steps by about its noise, well under its scale.
     */
    private static void learnStep(EwmaState state, double raw, double weight) {
        if (state.count > 0 && raw != state.lastValue && weight > 0) {
            double step = Math.abs(raw - state.lastValue);
            state.meanStep = state.meanStep == 0 ? step : state.meanStep + weight * STEP_ALPHA * (step - state.meanStep);
        }
        state.lastValue = raw;
    }
    private void learnDuringWarmup(EwmaState state, double value) {
        state.count++;
        if (state.count == 1) {
            state.level = value;
            state.meanAbsoluteDeviation = 0;
            return;
        }
        double deviation = Math.abs(value - state.level);
        state.level += Math.max(settings.alpha(), 1.0 / state.count) * (value - state.level);
        state.meanAbsoluteDeviation += Math.max(settings.scaleAlpha(), 1.0 / (state.count - 1))
                * (deviation - state.meanAbsoluteDeviation);
        state.recentAbsoluteDeviation = state.meanAbsoluteDeviation;
        state.slowLevel = state.level;
        state.mediumLevel = state.level;
        state.meanDrift = state.meanAbsoluteDeviation;
    }

    private static double clip(double score) {
        return Math.min(1.0, Math.max(Double.MIN_NORMAL, score));
    }
}
