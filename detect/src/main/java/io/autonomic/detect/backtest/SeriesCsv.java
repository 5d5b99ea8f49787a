package io.autonomic.detect.backtest;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes series CSVs: {@code timestamp,value[,label]}, header optional. Timestamps are ISO-8601 instants
 * (with offset or {@code Z}) or unix seconds (fractions allowed). A malformed timestamp is a user error and fails
 * with the file and line; an empty or non-numeric value is a missing point and is kept as NaN, so the output still
 * has one row per input row.
 */
public final class SeriesCsv {

    private SeriesCsv() {
    }

    public static List<SeriesRow> read(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<SeriesRow> rows = new ArrayList<>();
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (lineNumber == 1 && isHeader(cells[0])) {
                    continue;
                }
                if (cells.length < 2) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": expected timestamp,value[,label]");
                }
                String ts = cells[0].trim();
                long millis;
                try {
                    millis = parseTimestamp(ts);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": timestamp '" + ts
                            + "' is neither ISO-8601 nor unix seconds", e);
                }
                int label = -1;
                if (cells.length > 2 && !cells[2].isBlank()) {
                    try {
                        label = Double.parseDouble(cells[2].trim()) > 0 ? 1 : 0;
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + ":" + lineNumber + ": label '" + cells[2]
                                + "' is not 0 or 1", e);
                    }
                }
                rows.add(new SeriesRow(ts, millis, parseValue(cells[1]), label));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes {@code timestamp,value,anomaly_score[,label]}, one row per input row. */
    public static void write(Path file, List<SeriesRow> rows, double[] scores) {
        boolean labeled = rows.stream().anyMatch(SeriesRow::labeled);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                writer.write(labeled ? "timestamp,value,anomaly_score,label\n" : "timestamp,value,anomaly_score\n");
                for (int i = 0; i < rows.size(); i++) {
                    SeriesRow row = rows.get(i);
                    writer.write(row.timestampText());
                    writer.write(',');
                    writer.write(Double.isNaN(row.value()) ? "" : Double.toString(row.value()));
                    writer.write(',');
                    writer.write(String.format(Locale.ROOT, "%.6f", scores[i]));
                    if (labeled) {
                        writer.write(',');
                        writer.write(row.labeled() ? Integer.toString(row.label()) : "");
                    }
                    writer.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static long parseTimestamp(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty timestamp");
        }
        char first = text.charAt(0);
        if ((first >= '0' && first <= '9' || first == '-') && !text.contains("T") && text.indexOf('-', 1) < 0) {
            return Math.round(Double.parseDouble(text) * 1000.0);
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        }
    }

    private static double parseValue(String text) {
        try {
            return text.isBlank() ? Double.NaN : Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean isHeader(String firstCell) {
        String c = firstCell.trim().toLowerCase(Locale.ROOT);
        return !c.isEmpty() && Character.isLetter(c.charAt(0)) && !c.matches("\\d{4}-.*");
    }
}
