package io.autonomic.detect.backtest;

import java.util.Arrays;
import java.util.Locale;

/**
 * Accuracy of alerts against labels, measured the ways on-call engineers and the literature do.
 *
 * <ul>
 *   <li>Point-wise precision/recall/F1: every labeled point on its own.
 *   <li>Point-adjusted (the KPI/Donut convention): an anomaly window (a contiguous run of labeled points) counts as
 *       fully detected when any of its points alerts.
 *   <li>Events: windows detected, and time to detect = first alert in the window minus the window's start.
 *   <li>Alerts: consecutive alerting points collapse into one alert; an alert touching no labeled point is a false
 *       alarm.
 * </ul>
 *
 * @param windowsDetected windows with an alert inside
 * @param meanDetectDelayPoints mean points from window start to first alert, over detected windows (NaN if none)
 * @param meanDetectDelaySeconds the same in seconds
 */
public record Evaluation(int points, int anomalousPoints, int windows, int windowsDetected,
        double meanDetectDelayPoints, double meanDetectDelaySeconds, int alerts, int falseAlarms,
        double pointPrecision, double pointRecall, double pointF1,
        double adjustedPrecision, double adjustedRecall, double adjustedF1) {

    /** Best achievable F1 when the score threshold is swept, and the threshold reaching it. */
    public record Best(double threshold, double f1) {
    }

    /**
     * @param labels 1 anomalous, 0 normal, -1 unlabeled (counted as normal)
     * @param timestampsMillis for time to detect
     * @param alerting whether each point alerted
     */
    public static Evaluation of(int[] labels, long[] timestampsMillis, boolean[] alerting) {
        int n = labels.length;
        int tp = 0;
        int fp = 0;
        int positives = 0;
        int windows = 0;
        int detected = 0;
        double delayPoints = 0;
        double delaySeconds = 0;
        int adjustedTp = 0;
        for (int i = 0; i < n; ) {
            if (labels[i] != 1) {
                if (alerting[i]) {
                    fp++;
                }
                i++;
                continue;
            }
            int end = i;
            while (end < n && labels[end] == 1) {
                end++;
            }
            windows++;
            positives += end - i;
            int first = -1;
            for (int j = i; j < end; j++) {
                if (alerting[j]) {
                    tp++;
                    if (first < 0) {
                        first = j;
                    }
                }
            }
            if (first >= 0) {
                detected++;
                adjustedTp += end - i;
                delayPoints += first - i;
                delaySeconds += (timestampsMillis[first] - timestampsMillis[i]) / 1000.0;
            }
            i = end;
        }
        int alerts = 0;
        int falseAlarms = 0;
        for (int i = 0; i < n; ) {
            if (!alerting[i]) {
                i++;
                continue;
            }
            boolean touchesLabel = false;
            while (i < n && alerting[i]) {
                touchesLabel |= labels[i] == 1;
                i++;
            }
            alerts++;
            if (!touchesLabel) {
                falseAlarms++;
            }
        }
        return new Evaluation(n, positives, windows, detected,
                detected == 0 ? Double.NaN : delayPoints / detected,
                detected == 0 ? Double.NaN : delaySeconds / detected, alerts, falseAlarms,
                precision(tp, fp), ratio(tp, positives), f1(tp, fp, positives),
                precision(adjustedTp, fp), ratio(adjustedTp, positives), f1(adjustedTp, fp, positives));
    }

    /**
     * Best F1 over score thresholds (alert iff score >= threshold), trying every distinct score among the top ones.
     *
     * @param pointAdjusted point-adjusted F1 when true, point-wise otherwise
     */
    public static Best bestF1(int[] labels, long[] timestampsMillis, double[] scores, boolean pointAdjusted) {
        double[] candidates = Arrays.stream(scores).filter(s -> s > 0 && Double.isFinite(s)).distinct().sorted()
                .toArray();
        // every one of the highest 2,000 distinct scores (where the best threshold lies for rare anomalies), then
        // ~200 more spread over the rest, to bound the cost on long series
        int dense = 2_000;
        int sparseStep = Math.max(1, (candidates.length - dense) / 200);
        Best best = new Best(Double.NaN, 0);
        boolean[] alerting = new boolean[scores.length];
        for (int c = candidates.length - 1; c >= 0; c -= candidates.length - c > dense ? sparseStep : 1) {
            double threshold = candidates[c];
            for (int i = 0; i < scores.length; i++) {
                alerting[i] = scores[i] >= threshold;
            }
            Evaluation e = of(labels, timestampsMillis, alerting);
            double f1 = pointAdjusted ? e.adjustedF1() : e.pointF1();
            if (f1 > best.f1()) {
                best = new Best(threshold, f1);
            }
        }
        return best;
    }

    public String summary() {
        return String.format(Locale.ROOT,
                "points=%d anomalous=%d windows=%d detected=%d meanTimeToDetect=%.1f points (%.0f s) alerts=%d "
                        + "falseAlarms=%d | point-wise P=%.3f R=%.3f F1=%.3f | point-adjusted P=%.3f R=%.3f F1=%.3f",
                points, anomalousPoints, windows, windowsDetected, meanDetectDelayPoints, meanDetectDelaySeconds,
                alerts, falseAlarms, pointPrecision, pointRecall, pointF1, adjustedPrecision, adjustedRecall,
                adjustedF1);
    }

    private static double precision(int tp, int fp) {
        return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double f1(int tp, int fp, int positives) {
        return 2.0 * tp + fp + positives - tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (positives - tp));
    }
}
