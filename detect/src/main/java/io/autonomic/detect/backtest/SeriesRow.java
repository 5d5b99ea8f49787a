package io.autonomic.detect.backtest;

/**
 * One row of a recorded series.
 *
 * @param timestampText the timestamp exactly as read, echoed into the output
 * @param timestampMillis the timestamp in epoch milliseconds
 * @param value the observed value (NaN for an empty or unparsable cell: a missing point)
 * @param label 1 anomalous, 0 normal, -1 unlabeled
 */
public record SeriesRow(String timestampText, long timestampMillis, double value, int label) {

    public boolean labeled() {
        return label >= 0;
    }
}
