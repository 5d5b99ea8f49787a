package io.autonomic.detect.model;

import io.autonomic.models.features.SignalValues;

/**
 * The latest reading of one signal of a resource, as kept in keyed state. {@code value} is what models read: the
 * point's value, or for a cumulative counter its per-second rate since the previous reading ({@code hasValue} is
 * false until a second reading gives a rate), as {@link SignalValues} computes it. A Flink POJO: public fields and a no-argument constructor.
 */
public class SignalReading {

    public long timestampMillis;
    public double raw;
    public double value;
    public boolean hasValue;

    public SignalReading() {
    }

    public SignalReading(long timestampMillis, double raw, double value, boolean hasValue) {
        this.timestampMillis = timestampMillis;
        this.raw = raw;
        this.value = value;
        this.hasValue = hasValue;
    }

    static SignalReading of(SignalValues.Reading reading) {
        return new SignalReading(reading.timestampMillis(), reading.raw(), reading.value(), reading.hasValue());
    }

    SignalValues.Reading reading() {
        return new SignalValues.Reading(timestampMillis, raw, value, hasValue);
    }
}
