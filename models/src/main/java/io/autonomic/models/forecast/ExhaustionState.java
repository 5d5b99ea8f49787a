package io.autonomic.models.forecast;

/**
 * Exponentially weighted sufficient statistics of a linear fit of utilization over time, per series. A POJO with
 * public fields so Flink serializes it without Kryo. Times are seconds since {@link #originMillis}.
 */
public class ExhaustionState {

    public long count;
    public long originMillis;
    public long lastMillis;
    public double weight;
    public double meanT;
    public double meanY;
    public double meanTT;
    public double meanTY;
    public double meanYY;

    public ExhaustionState() {
    }
}
