package io.autonomic.detect.backtest;

import io.autonomic.detect.config.DetectorSettings;
import io.autonomic.detect.scoring.EwmaScore;
import io.autonomic.detect.scoring.EwmaState;
import io.autonomic.detect.scoring.EwmaZScoreDetector;
import java.util.List;

/**
 * Runs the production detector over one recorded series, point by point, exactly as
 * {@link io.autonomic.detect.scoring.SeriesScoringFunction} does for a live series: one {@link EwmaState}, updated
 * in timestamp order of arrival.
 */
public final class SeriesScorer {

    /**
     * @param scores the production anomaly score per row, in [0,1]; 0 when the point did not alert
     * @param ranking a continuous suspicion per row (the largest detector statistic in units of its threshold, so
     *     1 is where the default alerts; 0 during warm-up and for missing points), for sweeping thresholds
     */
    public record Scored(double[] scores, double[] ranking) {

        public boolean[] alerting() {
            boolean[] alerting = new boolean[scores.length];
            for (int i = 0; i < scores.length; i++) {
                alerting[i] = scores[i] > 0;
            }
            return alerting;
        }
    }

    private final EwmaZScoreDetector detector;

    public SeriesScorer(DetectorSettings settings) {
        this.detector = new EwmaZScoreDetector(settings);
    }

    public Scored score(List<SeriesRow> rows) {
        EwmaState state = new EwmaState();
        double[] scores = new double[rows.size()];
        double[] ranking = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            SeriesRow row = rows.get(i);
            EwmaScore score = detector.score(state, row.timestampMillis(), row.value());
            scores[i] = score.score();
            ranking[i] = score.warmingUp() ? 0 : score.suspicion();
        }
        return new Scored(scores, ranking);
    }
}
