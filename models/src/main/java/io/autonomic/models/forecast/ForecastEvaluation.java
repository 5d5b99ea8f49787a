package io.autonomic.models.forecast;

import io.autonomic.models.features.TrendFeatures;
import io.autonomic.models.features.TrendState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How good the forecasts are on series they were not trained on: the classifier's confusion per row, the
 * regression's errors, and — what an on-call engineer cares about — per series, whether the forecast fired before
 * the exhaustion and how early (lead time), and whether it fired on a healthy series at all.
 */
public final class ForecastEvaluation {

    private ForecastEvaluation() {
    }

    /** Row-level confusion of the classifier at its threshold. */
    public record Classification(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

        public double precision() {
            return truePositives + falsePositives == 0 ? 0 : (double) truePositives / (truePositives + falsePositives);
        }

        public double recall() {
            return truePositives + falseNegatives == 0 ? 0 : (double) truePositives / (truePositives + falseNegatives);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        public String summary() {
            return String.format(Locale.ROOT, "precision=%.3f recall=%.3f F1=%.3f confusion [FAILS->FAILS %d, "
                            + "OK->FAILS %d, FAILS->OK %d, OK->OK %d]", precision(), recall(), f1(), truePositives,
                    falsePositives, falseNegatives, trueNegatives);
        }
    }

    /** Errors of the time to exhaustion on rows an exhaustion followed within {@code within}. */
    public record Regression(int rows, Duration within, double maeSeconds, double rmseSeconds,
            double medianRelativeError) {

        public String summary() {
            return String.format(Locale.ROOT, "%d rows with exhaustion within %s: MAE=%.0f s RMSE=%.0f s median "
                    + "relative error=%.1f%%", rows, human(within), maeSeconds, rmseSeconds,
                    100 * medianRelativeError);
        }
    }

    /**
     * One series replayed point by point. {@code leadTime}: exhaustion minus the first firing before it (null when
     * it did not fire in time or the series does not exhaust); {@code firings}: points forecast to fail before the
     * exhaustion (or in the whole series when it does not exhaust).
     */
    public record Replay(String name, boolean exhausts, Duration leadTime, int firings) {

        public boolean firedBeforeExhaustion() {
            return leadTime != null;
        }

        public String summary() {
            if (exhausts) {
                return String.format(Locale.ROOT, "%-44s %s", name, leadTime == null ? "MISSED"
                        : "lead time " + human(leadTime));
            }
            return String.format(Locale.ROOT, "%-44s %s", name, firings == 0 ? "no forecast (correct)"
                    : firings + " false forecasts");
        }
    }

    public static Classification classify(FailureForecastModel model, List<ForecastExample> rows) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (ForecastExample row : rows) {
            boolean predicted = model.predict(row.features()).fails();
            if (predicted && row.failsWithinHorizon()) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (row.failsWithinHorizon()) {
                fn++;
            } else {
                tn++;
            }
        }
        return new Classification(tp, fp, fn, tn);
    }

    public static Regression regress(TimeToExhaustionModel model, List<ForecastExample> rows, Duration within) {
        List<double[]> pairs = new ArrayList<>();
        for (ForecastExample row : rows) {
            if (TimeToExhaustionModel.trainable(row) && row.secondsToExhaustion() <= within.toSeconds()) {
                double predicted = model.predict(row.features()).timeToExhaustion().toMillis() / 1000.0;
                pairs.add(new double[] {row.secondsToExhaustion(), predicted});
            }
        }
        if (pairs.isEmpty()) {
            return new Regression(0, within, Double.NaN, Double.NaN, Double.NaN);
        }
        double absolute = 0;
        double squared = 0;
        double[] relative = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            double error = pairs.get(i)[1] - pairs.get(i)[0];
            absolute += Math.abs(error);
            squared += error * error;
            relative[i] = Math.abs(error) / pairs.get(i)[0];
        }
        Arrays.sort(relative);
        return new Regression(pairs.size(), within, absolute / pairs.size(), Math.sqrt(squared / pairs.size()),
                relative[relative.length / 2]);
    }

    /** Replays a series through the features and the classifier, as live scoring would, up to its exhaustion. */
    public static Replay replay(LabeledSeries series, FailureForecastModel model) {
        TrendState state = new TrendState();
        long firstFiring = -1;
        long exhaustion = -1;
        int firings = 0;
        for (int i = 0; i < series.timesMillis().length; i++) {
            long t = series.timesMillis()[i];
            if (series.exhausted()[i]) {
                exhaustion = t;
                break;
            }
            if (TrendFeatures.DEFAULT.update(state, t, series.utilization()[i]) && model.forecast(state).fails()) {
                firings++;
                if (firstFiring < 0) {
                    firstFiring = t;
                }
            }
        }
        boolean exhausts = exhaustion >= 0;
        Duration lead = exhausts && firstFiring >= 0 ? Duration.ofMillis(exhaustion - firstFiring) : null;
        return new Replay(series.name(), exhausts, lead, firings);
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60.0);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }
}
