package io.autonomic.detect.scoring;

/** The previous reading of a cumulative counter, to turn the next one into a rate. Flink POJO state. */
public class CounterReading {

    public long timestampMillis;
    public double value;

    public CounterReading() {
    }

    public CounterReading(long timestampMillis, double value) {
        this.timestampMillis = timestampMillis;
        this.value = value;
    }
}
