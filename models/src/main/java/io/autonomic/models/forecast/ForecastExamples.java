package io.autonomic.models.forecast;

import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.features.TrendState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns labeled series into training rows by replaying them point by point through {@link TrendFeatures}, exactly
 * as live scoring does. Rows come only from warmed-up points before an exhaustion (once exhausted, the failure is
 * no longer a forecast); a recording's last horizon without a later exhaustion is left out, since its future is
 * unknown.
 */
public final class ForecastExamples {

    private ForecastExamples() {
    }

    /** Rows every 30 s within two horizons before an exhaustion, every 3 minutes elsewhere. */
    public static final Duration NEAR_SPACING = Duration.ofSeconds(30);
    public static final Duration FAR_SPACING = Duration.ofMinutes(3);

    /**
     * The rows of one series: one at most every {@link #NEAR_SPACING} within two horizons before an exhaustion (where
     * the forecast is decided), every {@link #FAR_SPACING} elsewhere (neighbouring points are nearly identical rows,
     * and long healthy stretches would drown the failures).
     */
    public static List<ForecastExample> of(LabeledSeries series, Duration horizon) {
        long horizonMillis = horizon.toMillis();
        long[] times = series.timesMillis();
        int n = times.length;
        // start of the next exhaustion at or after each point; Long.MIN_VALUE: none follows
        long[] nextExhaustion = new long[n];
        long next = Long.MIN_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            if (series.exhausted()[i] && (i == 0 || !series.exhausted()[i - 1])) {
                next = times[i];
            }
            nextExhaustion[i] = next;
        }
        long end = n == 0 ? 0 : times[n - 1];
        TrendFeatures features = TrendFeatures.DEFAULT;
        TrendState state = new TrendState();
        List<ForecastExample> rows = new ArrayList<>();
        long lastRow = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (!features.update(state, times[i], series.utilization()[i]) || series.exhausted()[i]
                    || !features.ready(state)) {
                continue;
            }
            boolean follows = nextExhaustion[i] != Long.MIN_VALUE;
            long left = follows ? nextExhaustion[i] - times[i] : Long.MAX_VALUE;
            if (!follows && !series.healthyAfterEnd() && end - times[i] < horizonMillis) {
                continue;
            }
            long spacing = (left <= 2 * horizonMillis ? NEAR_SPACING : FAR_SPACING).toMillis();
            if (lastRow != Long.MIN_VALUE && times[i] - lastRow < spacing) {
                continue;
            }
            lastRow = times[i];
            rows.add(new ForecastExample(series.name(), times[i], features.vector(state), left <= horizonMillis,
                    follows ? left / 1000.0 : Double.NaN));
        }
        return rows;
    }

    public static List<ForecastExample> of(List<LabeledSeries> series, Duration horizon) {
        List<ForecastExample> rows = new ArrayList<>();
        for (LabeledSeries s : series) {
            rows.addAll(of(s, horizon));
        }
        return rows;
    }
}
