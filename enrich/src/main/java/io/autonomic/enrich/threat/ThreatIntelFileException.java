package io.autonomic.enrich.threat;

/** A threat-intelligence file that cannot be used; the message reads {@code <file>:<line>: <reason>}. */
public final class ThreatIntelFileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    ThreatIntelFileException(String source, int line, String reason) {
        super((source == null ? "" : source + ":") + (line > 0 ? line + ":" : "") + " " + reason);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    /** 1-based line; 0 when the file could not be read at all. */
    public int line() {
        return line;
    }
}
