package io.autonomic.act.playbook;

/** A playbook file that cannot be used; the message names the file, the line and the field. */
public final class PlaybookException extends RuntimeException {

    private final String source;
    private final int line;

    PlaybookException(String source, int line, String field, String message) {
        super(source + ":" + line + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + message);
        this.source = source;
        this.line = line;
    }

    PlaybookException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
        this.line = 0;
    }

    public String source() {
        return source;
    }

    /** The 1-based line of the problem, 0 when the file could not be read at all. */
    public int line() {
        return line;
    }
}
