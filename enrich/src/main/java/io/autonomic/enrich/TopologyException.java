package io.autonomic.enrich;

/**
 * A topology file that cannot be used. The message reads {@code <file>:<line>:<column>: <reason>} so editors and
 * terminals can jump to the offending spot; the parts are also available separately.
 */
public final class TopologyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String reason;

    TopologyException(String source, int line, int column, String reason) {
        this(source, line, column, reason, null);
    }

    TopologyException(String source, int line, int column, String reason, Throwable cause) {
        super(position(source, line, column) + reason, cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    static String position(String source, int line, int column) {
        StringBuilder text = new StringBuilder();
        if (source != null) {
            text.append(source).append(':');
        }
        if (line > 0) {
            text.append(line).append(':');
            if (column > 0) {
                text.append(column).append(':');
            }
        }
        return text.length() == 0 ? "" : text.append(' ').toString();
    }

    /** The file name as given to {@link TopologyFile#parse}, or null when the text had no name. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 when the problem has no position (e.g. the file cannot be read). */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** The message without the file and position prefix. */
    public String reason() {
        return reason;
    }
}
