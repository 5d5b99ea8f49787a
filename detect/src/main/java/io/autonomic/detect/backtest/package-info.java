/**
 * Backtesting: the production per-series detector ({@link io.autonomic.detect.scoring.EwmaZScoreDetector}) run
 * over recorded series (CSV files or a Kafka topic), scores written per input row, and, with labels, the accuracy
 * an on-call engineer would feel: point-wise and point-adjusted precision/recall/F1, anomaly windows detected, time
 * to detect and false alarms ({@link io.autonomic.detect.backtest.Evaluation}). Entry point:
 * {@link io.autonomic.detect.backtest.Backtest#run}.
 */
package io.autonomic.detect.backtest;
