package io.autonomic.schemas;

/** A configuration error; its message names the option at fault. */
public final class OptionException extends IllegalArgumentException {
    public OptionException(String message) {
        super(message);
    }
}
