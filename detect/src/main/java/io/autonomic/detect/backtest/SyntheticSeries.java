package io.autonomic.detect.backtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded synthetic series with labeled anomalies of one kind, to check the detectors on behaviour no recorded series
 * may show and to guard against tuning to the three KPI series. Every series has what real telemetry has: a daily
 * cycle, a weekend dip (blended over hours, as traffic is), Gaussian noise, irregular sampling (5-minute points with
 * jitter), gaps of missing points, and a few non-finite values. Anomalies start after the first week (the detectors'
 * settling time) and are at least a day apart.
 *
 * <p>Run {@code java -cp ... io.autonomic.detect.backtest.SyntheticSeries OUT_DIR [SEED]} to write one CSV per kind,
 * then {@code backtest --input OUT_DIR --output scores/} to evaluate them.
 */
public final class SyntheticSeries {

    /** The anomaly injected. Magnitudes are in units of the noise sigma. */
    public enum Kind {
        /** One point 7 to 10 sigma off. */
        SPIKE,
        /** The level moves by 3 to 4 sigma (shallower than a spike) for two hours, then returns. */
        LEVEL_SHIFT,
        /** A ramp of 0.15 sigma per point for three hours (a slow drift no single step reveals), then back down
         * over an hour. */
        TREND_CHANGE,
        /** The noise grows four-fold for two hours. */
        VARIANCE_CHANGE,
        /** No anomaly: a clean series, for the false-alarm count. */
        NONE
    }

    static final long START_MILLIS = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli(); // a Monday
    static final long STEP_MILLIS = 300_000L;
    static final int DAYS = 21;
    static final int POINTS_PER_DAY = 288;
    static final double LEVEL = 100;
    static final double DAILY_AMPLITUDE = 20;
    static final double WEEKEND_DIP = 15;
    static final double SIGMA = 6;
    static final int EVENTS = 10;

    private SyntheticSeries() {
    }

    /** Rows {@code timestamp,value,label} of one seeded series with {@link #EVENTS} anomalies of {@code kind}. */
    public static List<SeriesRow> generate(Kind kind, long seed) {
        Random random = new Random(seed);
        int n = DAYS * POINTS_PER_DAY;
        double[] anomaly = new double[n];
        double[] noiseFactor = new double[n];
        int[] labels = new int[n];
        java.util.Arrays.fill(noiseFactor, 1);
        if (kind != Kind.NONE) {
            int firstDay = 7;
            int spacing = (DAYS - firstDay - 1) * POINTS_PER_DAY / EVENTS;
            for (int e = 0; e < EVENTS; e++) {
                int start = firstDay * POINTS_PER_DAY + e * spacing + random.nextInt(spacing / 2);
                inject(kind, random, start, anomaly, noiseFactor, labels);
            }
        }
        List<SeriesRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < 0.01 && labels[i] == 0) {
                // a gap of missing points, never over an anomaly (it must stay labeled)
                int gap = random.nextInt(6);
                while (gap-- > 0 && i + 1 < n && labels[i + 1] == 0) {
                    i++;
                }
                continue;
            }
            long jitter = (long) (random.nextGaussian() * 20_000);
            long ts = START_MILLIS + i * STEP_MILLIS + jitter;
            double value = normal(ts) + anomaly[i] + SIGMA * noiseFactor[i] * random.nextGaussian();
            if (random.nextDouble() < 0.002 && labels[i] == 0) {
                value = Double.NaN; // an unparsable or missing value in a present row
            }
            rows.add(new SeriesRow(Instant.ofEpochMilli(ts).toString(), ts, value, labels[i]));
        }
        return rows;
    }

    private static void inject(Kind kind, Random random, int start, double[] anomaly, double[] noiseFactor,
            int[] labels) {
        double sign = random.nextBoolean() ? 1 : -1;
        switch (kind) {
            case SPIKE -> {
                anomaly[start] = sign * (7 + 3 * random.nextDouble()) * SIGMA;
                labels[start] = 1;
            }
            case LEVEL_SHIFT -> {
                double shift = sign * (3 + random.nextDouble()) * SIGMA;
                for (int i = start; i < start + 24; i++) {
                    anomaly[i] = shift;
                    labels[i] = 1;
                }
            }
            case TREND_CHANGE -> {
                for (int i = start; i < start + 36; i++) {
                    anomaly[i] = sign * 0.15 * SIGMA * (i - start + 1);
                    labels[i] = 1;
                }
                for (int i = start + 36; i < start + 48; i++) {
                    anomaly[i] = anomaly[start + 35] * (start + 48 - i) / 13.0; // back down over an hour
                }
            }
            case VARIANCE_CHANGE -> {
                for (int i = start; i < start + 24; i++) {
                    noiseFactor[i] = 4;
                    labels[i] = 1;
                }
            }
            case NONE -> {
            }
        }
    }

    /** The normal behaviour at {@code ts}: level, daily cycle (peak mid-afternoon UTC), a smooth weekend dip. */
    static double normal(long ts) {
        double dayFraction = Math.floorMod(ts, 86_400_000L) / 86_400_000.0;
        double daily = DAILY_AMPLITUDE * Math.sin(2 * Math.PI * (dayFraction - 0.375));
        double weekend = 0;
        long dayOfWeek = Math.floorMod(Math.floorDiv(ts - START_MILLIS, 86_400_000L), 7L); // 0 = Monday
        if (dayOfWeek == 5 || dayOfWeek == 6) {
            weekend = 1;
        }
        // blend over three hours either side of the weekend's midnights
        double hours = Math.floorMod(ts, 86_400_000L) / 3_600_000.0;
        if (dayOfWeek == 4 && hours > 21) {
            weekend = (hours - 21) / 6;
        } else if (dayOfWeek == 5 && hours < 3) {
            weekend = 0.5 + hours / 6;
        } else if (dayOfWeek == 6 && hours > 21) {
            weekend = 1 - (hours - 21) / 6;
        } else if (dayOfWeek == 0 && hours < 3) {
            weekend = 0.5 - hours / 6;
        }
        return LEVEL + daily - WEEKEND_DIP * weekend;
    }

    /** Writes one labeled CSV per kind under {@code args[0]} (seed {@code args[1]}, default 1). */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "synthetic");
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        for (Kind kind : Kind.values()) {
            List<SeriesRow> rows = generate(kind, seed);
            Path file = dir.resolve(kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + ".csv");
            StringBuilder csv = new StringBuilder("timestamp,value,label\n");
            for (SeriesRow row : rows) {
                csv.append(row.timestampText()).append(',').append(Double.isNaN(row.value()) ? "" : row.value())
                        .append(',').append(row.label()).append('\n');
            }
            try {
                Files.createDirectories(dir);
                Files.writeString(file, csv);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            System.out.println(file + ": " + rows.size() + " rows");
        }
    }
}
