package io.autonomic.cli;

import io.autonomic.schemas.Option;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads durations the way every Autonomic option does: 500ms, 10s, 5m, PT10S. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Option.parseDuration(value);
    }
}
