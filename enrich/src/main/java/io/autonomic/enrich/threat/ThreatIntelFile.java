package io.autonomic.enrich.threat;

import io.autonomic.schemas.avro.ThreatIndicator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A threat-intelligence file: CSV whose first non-comment line is a header naming what the file holds.
 *
 * <pre>
 * # lines starting with # and blank lines are ignored
 * cidr,list,reputation          # block list: BLOCKED_CIDR entries (reputation optional, default 1.0)
 * 203.0.113.0/24,botnet-a,0.9
 *
 * cidr,reputation               # reputation feed: IP_REPUTATION entries, list name = file name without extension
 * 198.51.100.7,0.6
 *
 * cidr,country,asn,asnOrg       # geo/ASN table: GEO_ASN entries (most specific network wins at lookup)
 * 192.0.2.0/24,DE,AS64500,Example Hosting GmbH
 *
 * pattern                       # bad user agents: case-insensitive substrings
 * sqlmap
 * </pre>
 *
 * Values are not quoted; the last column of a geo row may contain commas (organisation names do). A bare address is
 * a /32 or /128; host bits of a CIDR are cleared. Any problem fails with {@link ThreatIntelFileException} naming
 * {@code file:line}: an unknown header, a wrong column count, a bad CIDR, a reputation outside 0..1, an ASN not of
 * the form {@code AS<digits>}, a country not two letters, or the same key twice in one file.
 */
public final class ThreatIntelFile {

    /** The headers a file may start with. */
    public enum Format {
        BLOCK_LIST("cidr,list,reputation"),
        REPUTATION("cidr,reputation"),
        GEO_ASN("cidr,country,asn,asnOrg"),
        BAD_USER_AGENTS("pattern");

        private final String header;

        Format(String header) {
            this.header = header;
        }

        public String header() {
            return header;
        }

        static Format of(String header) {
            String normalized = header.replace(" ", "").toLowerCase(Locale.ROOT);
            for (Format format : values()) {
                if (format.header.toLowerCase(Locale.ROOT).equals(normalized)) {
                    return format;
                }
            }
            return null;
        }
    }

    private final String source;
    private final Format format;
    private final List<ThreatIndicator> indicators;

    private ThreatIntelFile(String source, Format format, List<ThreatIndicator> indicators) {
        this.source = source;
        this.format = format;
        this.indicators = List.copyOf(indicators);
    }

    /** Reads a file; its path as given names it in messages and in each indicator's {@code source}. */
    public static ThreatIntelFile parse(Path path) {
        Objects.requireNonNull(path, "path");
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new ThreatIntelFileException(path.toString(), 0, "cannot read the file: " + e);
        }
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return parse(path.toString(), dot > 0 ? name.substring(0, dot) : name, text);
    }

    /**
     * Parses text held in memory.
     *
     * @param source names the text in messages and indicators
     * @param defaultList the list name of reputation rows, which have no list column
     */
    public static ThreatIntelFile parse(String source, String defaultList, String text) {
        Objects.requireNonNull(text, "text");
        String[] lines = text.split("\r?\n", -1);
        Format format = null;
        Map<String, ThreatIndicator> byKey = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = stripComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            if (format == null) {
                format = Format.of(line.strip());
                if (format == null) {
                    throw new ThreatIntelFileException(source, lineNumber, "unknown header '" + line.strip()
                            + "'; expected one of: " + String.join(" | ", Arrays.stream(Format.values())
                            .map(Format::header).toList()));
                }
                continue;
            }
            ThreatIndicator indicator;
            try {
                indicator = row(format, line, defaultList, source);
            } catch (IllegalArgumentException e) {
                throw new ThreatIntelFileException(source, lineNumber, e.getMessage());
            }
            if (byKey.putIfAbsent(indicator.getKey(), indicator) != null) {
                throw new ThreatIntelFileException(source, lineNumber, "duplicate entry " + indicator.getKey());
            }
        }
        if (format == null) {
            throw new ThreatIntelFileException(source, 1, "the file is empty; expected a header line, one of: "
                    + String.join(" | ", Arrays.stream(Format.values()).map(Format::header).toList()));
        }
        return new ThreatIntelFile(source, format, new ArrayList<>(byKey.values()));
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static ThreatIndicator row(Format format, String line, String defaultList, String source) {
        return switch (format) {
            case BLOCK_LIST -> {
                String[] columns = columns(line, 2, 3);
                String list = required(columns[1], "list");
                double reputation = columns.length == 3 && !columns[2].isBlank() ? reputation(columns[2]) : 1.0;
                yield ThreatIndicators.blocked(Cidr.parse(columns[0]), list, reputation, source);
            }
            case REPUTATION -> {
                String[] columns = columns(line, 2, 2);
                yield ThreatIndicators.reputation(Cidr.parse(columns[0]), defaultList, reputation(columns[1]), source);
            }
            case GEO_ASN -> {
                String[] columns = line.split(",", 4);
                if (columns.length < 3) {
                    throw new IllegalArgumentException("expected cidr,country,asn[,asnOrg], found " + columns.length
                            + " column(s)");
                }
                String country = required(columns[1].strip(), "country").toUpperCase(Locale.ROOT);
                if (!country.matches("[A-Z]{2}")) {
                    throw new IllegalArgumentException("country '" + columns[1].strip()
                            + "' is not an ISO 3166-1 alpha-2 code");
                }
                String asn = required(columns[2].strip(), "asn").toUpperCase(Locale.ROOT);
                if (asn.matches("\\d+")) {
                    asn = "AS" + asn;
                }
                if (!asn.matches("AS\\d+")) {
                    throw new IllegalArgumentException("asn '" + columns[2].strip() + "' is not of the form AS64500");
                }
                String org = columns.length == 4 && !columns[3].isBlank() ? columns[3].strip() : null;
                yield ThreatIndicators.geo(Cidr.parse(columns[0]), country, asn, org, source);
            }
            case BAD_USER_AGENTS -> ThreatIndicators.badUserAgent(required(line.strip(), "pattern"), source);
        };
    }

    private static String[] columns(String line, int min, int max) {
        String[] columns = line.split(",", -1);
        if (columns.length < min || columns.length > max) {
            throw new IllegalArgumentException("expected " + (min == max ? String.valueOf(min) : min + " to " + max)
                    + " columns, found " + columns.length);
        }
        for (int i = 0; i < columns.length; i++) {
            columns[i] = columns[i].strip();
        }
        return columns;
    }

    private static String required(String value, String column) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("column '" + column + "' is empty");
        }
        return value;
    }

    private static double reputation(String text) {
        double value;
        try {
            value = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("reputation '" + text.strip() + "' is not a number");
        }
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException("reputation " + text.strip() + " is outside 0..1");
        }
        return value;
    }

    public String source() {
        return source;
    }

    public Format format() {
        return format;
    }

    /** The file's entries in file order. */
    public List<ThreatIndicator> indicators() {
        return indicators;
    }
}
