package io.autonomic.models.forecast;

import java.util.Objects;

/**
 * One utilization series (fractions of capacity) with, per point, whether the resource was exhausted then. Where the
 * forecasts' labels come from: a point is "fails within the horizon" when an exhaustion starts within the horizon
 * after it.
 *
 * @param healthyAfterEnd whether the series is known not to exhaust after its last point (generated scenarios); for
 *     a recording this is unknown, so its last horizon of points without a later exhaustion is left out of training
 */
public record LabeledSeries(String name, long[] timesMillis, double[] utilization, boolean[] exhausted,
        boolean healthyAfterEnd) {

    /** Utilization at or above which a recorded resource counts as exhausted when the recording has no label. */
    public static final double EXHAUSTED_AT = 0.98;

    public LabeledSeries {
        Objects.requireNonNull(name, "name");
        if (timesMillis.length != utilization.length || timesMillis.length != exhausted.length) {
            throw new IllegalArgumentException(name + ": times, values and labels differ in length");
        }
    }

    /** A generated scenario: exhausted from its exhaustion time on; healthy after its end when it never exhausts. */
    public static LabeledSeries of(ExhaustionScenarios.Scenario scenario) {
        int n = scenario.utilization().length;
        long[] times = new long[n];
        boolean[] exhausted = new boolean[n];
        for (int i = 0; i < n; i++) {
            times[i] = i * scenario.stepMillis();
            exhausted[i] = scenario.exhaustedAtMillis() >= 0 && times[i] >= scenario.exhaustedAtMillis();
        }
        return new LabeledSeries(scenario.name(), times, scenario.utilization(), exhausted, true);
    }

    /**
     * A recorded series: a point is exhausted when its label is 1 or, unlabeled (-1), when its utilization is at
     * least {@link #EXHAUSTED_AT}. The future after the recording is unknown.
     */
    public static LabeledSeries recorded(String name, long[] timesMillis, double[] utilization, int[] labels) {
        boolean[] exhausted = new boolean[utilization.length];
        for (int i = 0; i < exhausted.length; i++) {
            exhausted[i] = labels[i] == 1 || labels[i] < 0 && utilization[i] >= EXHAUSTED_AT;
        }
        return new LabeledSeries(name, timesMillis, utilization, exhausted, false);
    }

    /** Whether the series reaches exhaustion at all. */
    public boolean exhausts() {
        for (boolean e : exhausted) {
            if (e) {
                return true;
            }
        }
        return false;
    }
}
