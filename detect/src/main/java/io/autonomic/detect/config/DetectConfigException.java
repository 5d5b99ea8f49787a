package io.autonomic.detect.config;

/** A configuration error; its message names the file, the line and the field at fault. */
public final class DetectConfigException extends IllegalArgumentException {

    private final String source;
    private final int line;
    private final String field;

    DetectConfigException(String source, int line, String field, String message) {
        super(source + " line " + line + ": " + (field.isEmpty() ? "" : field + ": ") + message);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    DetectConfigException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
        this.line = -1;
        this.field = "";
    }

    public String source() {
        return source;
    }

    /** 1-based line of the offending node, or -1 when the file could not be read at all. */
    public int line() {
        return line;
    }

    /** Path of the offending field, e.g. {@code rules[0].for}; empty for file-level errors. */
    public String field() {
        return field;
    }
}
