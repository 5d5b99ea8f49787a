package io.autonomic.models.forecast;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Synthetic exhaustion scenarios, seeded: disks filling at several rates (with write bursts and noise), a memory
 * leak under a garbage-collection sawtooth, and two healthy controls (a flat noisy disk, a disk whose logs rotate).
 * {@link #run} replays each through a forecaster and reports the lead time: exhaustion time minus first firing.
 */
public final class ExhaustionScenarios {

    /** One scenario's series, sampled every {@code stepMillis}, and when it reaches capacity (-1: never). */
    public record Scenario(String name, long stepMillis, double[] utilization, long exhaustedAtMillis) {
    }

    /** What the forecaster did on a scenario. {@code leadTime} is null when it never fired before exhaustion. */
    public record Outcome(String name, boolean firedBeforeExhaustion, Duration leadTime, int firings,
            boolean exhausts) {
    }

    private ExhaustionScenarios() {
    }

    public static List<Scenario> all(long seed) {
        List<Scenario> scenarios = new ArrayList<>();
        for (double percentPerMinute : new double[] {2.0, 0.5, 0.1}) {
            scenarios.add(diskFilling("disk filling " + percentPerMinute + " %/min", percentPerMinute, seed));
        }
        scenarios.add(memoryLeak(seed));
        scenarios.add(flatDisk(seed));
        scenarios.add(rotatingLogs(seed));
        return scenarios;
    }

    static Scenario diskFilling(String name, double percentPerMinute, long seed) {
        Random random = new Random(seed);
        long step = 10_000;
        List<Double> values = new ArrayList<>();
        double used = 0.40;
        // an hour of steady state, then filling until full
        for (int i = 0; i < 360; i++) {
            values.add(used + 0.002 * random.nextGaussian());
        }
        double perStep = percentPerMinute / 100.0 / 6.0;
        while (used < 1.0) {
            // writes arrive in bursts: mostly small steps, now and then a larger one
            used = Math.min(1.0, used + perStep * (random.nextDouble() < 0.2 ? 3.0 : 0.5));
            values.add(Math.min(1.0, used + 0.002 * random.nextGaussian()));
        }
        return new Scenario(name, step, unbox(values), (values.size() - 1) * step);
    }

    static Scenario memoryLeak(long seed) {
        Random random = new Random(seed + 1);
        long step = 5_000;
        List<Double> values = new ArrayList<>();
        double leaked = 0.30;
        int i = 0;
        while (true) {
            // heap after GC grows by the leak; between collections garbage piles up by up to 15 %
            double sawtooth = 0.15 * ((i % 24) / 24.0);
            double v = leaked + sawtooth + 0.005 * random.nextGaussian();
            if (v >= 1.0) {
                values.add(1.0);
                break;
            }
            values.add(v);
            leaked += i < 200 ? 0 : 0.0008;
            i++;
        }
        return new Scenario("memory leak under GC sawtooth", step, unbox(values), (values.size() - 1) * step);
    }

    static Scenario flatDisk(long seed) {
        Random random = new Random(seed + 2);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.70 + 0.01 * random.nextGaussian();
        }
        return new Scenario("healthy disk, flat and noisy", 10_000, values, -1);
    }

    static Scenario rotatingLogs(long seed) {
        Random random = new Random(seed + 3);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            // logs grow 10 % over 50 minutes, then rotation frees them
            values[i] = 0.55 + 0.10 * ((i % 300) / 300.0) + 0.002 * random.nextGaussian();
        }
        return new Scenario("healthy disk, logs rotate", 10_000, values, -1);
    }

    /** Healthy series that must never be forecast to fail: flat, logs rotating, a daily cycle, spikes that recover. */
    public static List<Scenario> healthyControls(long seed) {
        Random random = new Random(seed + 4);
        return List.of(flatDisk(seed), rotatingLogs(seed),
                dailyCycle("healthy, daily cycle", random, 10_000, 0.45, 0.20, 8 * 3_600_000L),
                recoveringSpikes("healthy, spikes that recover", random, 10_000, 0.50, 6 * 3_600_000L));
    }

    /**
     * A varied, seeded training set for the failure forecasts: about half exhaust (disks filling linearly, in bursts,
     * or with log rotation that frees less than was written; memory leaking under a GC sawtooth; connection pools
     * leaking), half are healthy (flat and noisy, high but stable, daily cycles, spikes that recover, rotating logs,
     * GC sawtooth without a leak, busy pools, slow growth far from full). Sampling every 5 to 60 s, with about 1 %
     * of the points missing (NaN).
     */
    public static List<Scenario> trainingSet(long seed, int count) {
        if (count < 2) {
            throw new IllegalArgumentException("count must be at least 2, got " + count);
        }
        Random random = new Random(seed);
        List<Scenario> scenarios = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long step = new long[] {5_000, 10_000, 10_000, 15_000, 30_000, 60_000}[random.nextInt(6)];
            String id = "#" + i;
            Scenario scenario = i % 2 == 0 ? exhausting(id, random, step) : healthy(id, random, step);
            scenarios.add(withMissingPoints(scenario, random, 0.01));
        }
        return scenarios;
    }

    private static Scenario exhausting(String id, Random random, long step) {
        // fill rates from 0.08 to 4 % of capacity per minute, log-uniform
        double rate = Math.exp(Math.log(0.0008) + random.nextDouble() * Math.log(4.0 / 0.08)) ;
        long calm = (20 + random.nextInt(70)) * 60_000L;
        return switch (random.nextInt(5)) {
            case 0 -> linearFill("disk filling " + id, random, step, calm, rate, false);
            case 1 -> linearFill("disk filling in bursts " + id, random, step, calm, rate, true);
            case 2 -> rotatingFill("disk filling, logs rotate " + id, random, step, calm, rate);
            case 3 -> leak("memory leak " + id, random, step, calm, rate, 0.05 + 0.20 * random.nextDouble(),
                    (1 + random.nextInt(5)) * 60_000L);
            default -> poolLeak("connection pool leak " + id, random, step, calm, rate);
        };
    }

    private static Scenario healthy(String id, Random random, long step) {
        long length = (3 + random.nextInt(6)) * 3_600_000L;
        return switch (random.nextInt(10)) {
            case 0 -> flat("healthy flat " + id, random, step, 0.1 + 0.7 * random.nextDouble(), length);
            case 1 -> flat("healthy, high but stable " + id, random, step, 0.88 + 0.08 * random.nextDouble(), length);
            case 2 -> dailyCycle("healthy daily cycle " + id, random, step, 0.3 + 0.3 * random.nextDouble(),
                    0.05 + 0.25 * random.nextDouble(), length);
            case 3, 8 -> recoveringSpikes("healthy spikes " + id, random, step, 0.2 + 0.5 * random.nextDouble(),
                    length);
            case 4 -> rotating("healthy, logs rotate " + id, random, step, length);
            case 5 -> leak("healthy GC sawtooth " + id, random, step, length, 0, 0.05 + 0.25 * random.nextDouble(),
                    (1 + random.nextInt(5)) * 60_000L);
            case 6, 9 -> busyPool("healthy busy pool " + id, random, step, length);
            default -> slowGrowth("healthy slow growth " + id, random, step, length);
        };
    }

    /** Calm at a level, then filling at {@code ratePerMinute} (in bursts or evenly) until full. */
    static Scenario linearFill(String name, Random random, long step, long calmMillis, double ratePerMinute,
            boolean bursty) {
        double used = 0.2 + 0.5 * random.nextDouble();
        double noise = 0.001 + 0.004 * random.nextDouble();
        double perStep = ratePerMinute * step / 60_000.0;
        List<Double> values = new ArrayList<>();
        for (long t = 0; t < calmMillis; t += step) {
            values.add(used + noise * random.nextGaussian());
        }
        while (used < 1.0) {
            used = Math.min(1.0, used + (bursty ? perStep * (random.nextDouble() < 0.2 ? 3.0 : 0.5) : perStep));
            values.add(clamp(used + noise * random.nextGaussian(), used));
        }
        return new Scenario(name, step, unbox(values), (values.size() - 1) * step);
    }

    /** Logs grow at {@code ratePerMinute} gross; every rotation frees 40 to 80 % of what was written since the last. */
    static Scenario rotatingFill(String name, Random random, long step, long calmMillis, double ratePerMinute) {
        double used = 0.2 + 0.4 * random.nextDouble();
        double gross = ratePerMinute * (2 + random.nextDouble());
        double freed = 1 - ratePerMinute / gross;
        long period = (10 + random.nextInt(50)) * 60_000L;
        List<Double> values = new ArrayList<>();
        for (long t = 0; t < calmMillis; t += step) {
            values.add(used + 0.002 * random.nextGaussian());
        }
        double sinceRotation = 0;
        long t = 0;
        while (used < 1.0) {
            double grown = gross * step / 60_000.0;
            used = Math.min(1.0, used + grown);
            sinceRotation += grown;
            t += step;
            if (t % period < step && used < 1.0) {
                used -= freed * sinceRotation;
                sinceRotation = 0;
            }
            values.add(clamp(used + 0.002 * random.nextGaussian(), used));
        }
        return new Scenario(name, step, unbox(values), (values.size() - 1) * step);
    }

    /**
     * Heap under a GC sawtooth: after each collection it falls to the floor, which rises by {@code leakPerMinute}
     * once the calm phase is over; exhausted when a peak reaches capacity. {@code leakPerMinute = 0}: healthy, and
     * the series lasts {@code calmMillis}.
     */
    static Scenario leak(String name, Random random, long step, long calmMillis, double leakPerMinute,
            double amplitude, long gcPeriod) {
        double floor = 0.2 + (0.7 - amplitude) * 0.6 * random.nextDouble();
        List<Double> values = new ArrayList<>();
        long t = 0;
        while (true) {
            double tooth = amplitude * ((t % gcPeriod) / (double) gcPeriod);
            double v = floor + tooth + 0.005 * random.nextGaussian();
            if (v >= 1.0) {
                values.add(1.0);
                return new Scenario(name, step, unbox(values), (values.size() - 1) * step);
            }
            values.add(v);
            if (leakPerMinute == 0 && t >= calmMillis) {
                return new Scenario(name, step, unbox(values), -1);
            }
            if (t >= calmMillis) {
                floor += leakPerMinute * step / 60_000.0;
            }
            t += step;
        }
    }

    /** Connections checked out at random around a mean, plus leaked ones that never return; exhausted when all are. */
    static Scenario poolLeak(String name, Random random, long step, long calmMillis, double ratePerMinute) {
        int size = new int[] {10, 20, 50, 100, 200}[random.nextInt(5)];
        double mean = size * (0.1 + 0.3 * random.nextDouble());
        double leakedPerStep = ratePerMinute * size * step / 60_000.0;
        List<Double> values = new ArrayList<>();
        double leaked = 0;
        long t = 0;
        while (true) {
            double active = Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
            double inUse = Math.min(size, active + Math.floor(leaked));
            values.add(inUse / size);
            if (Math.floor(leaked) + mean >= size) {
                values.set(values.size() - 1, 1.0);
                return new Scenario(name, step, unbox(values), (values.size() - 1) * step);
            }
            if (t >= calmMillis) {
                leaked += leakedPerStep * (random.nextDouble() < 0.5 ? 0.5 : 1.5);
            }
            t += step;
        }
    }

    static Scenario flat(String name, Random random, long step, double level, long length) {
        double noise = 0.001 + 0.01 * random.nextDouble();
        double[] values = new double[(int) (length / step)];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.min(0.99, level + noise * random.nextGaussian());
        }
        return new Scenario(name, step, values, -1);
    }

    static Scenario dailyCycle(String name, Random random, long step, double mean, double amplitude, long length) {
        double phase = random.nextDouble() * 2 * Math.PI;
        double[] values = new double[(int) (length / step)];
        for (int i = 0; i < values.length; i++) {
            double day = i * step / 86_400_000.0;
            values[i] = mean + amplitude * Math.sin(2 * Math.PI * day + phase) + 0.005 * random.nextGaussian();
        }
        return new Scenario(name, step, values, -1);
    }

    /** A baseline with a spike every hour or so: up by 10 to 35 % within 1 to 3 minutes, held, then back. */
    static Scenario recoveringSpikes(String name, Random random, long step, double base, long length) {
        double[] values = new double[(int) (length / step)];
        long nextSpike = (20 + random.nextInt(40)) * 60_000L;
        long spikeStart = -1;
        long rise = 0;
        long hold = 0;
        double height = 0;
        for (int i = 0; i < values.length; i++) {
            long t = i * step;
            if (spikeStart < 0 && t >= nextSpike) {
                spikeStart = t;
                rise = (1 + random.nextInt(3)) * 60_000L;
                hold = random.nextInt(6) * 60_000L;
                height = Math.min(0.97 - base, 0.10 + 0.25 * random.nextDouble());
            }
            double spike = 0;
            if (spikeStart >= 0) {
                long in = t - spikeStart;
                if (in < rise) {
                    spike = height * in / rise;
                } else if (in < rise + hold) {
                    spike = height;
                } else if (in < 2 * rise + hold) {
                    spike = height * (1 - (in - rise - hold) / (double) rise);
                } else {
                    spikeStart = -1;
                    nextSpike = t + (30 + random.nextInt(60)) * 60_000L;
                }
            }
            values[i] = base + spike + 0.003 * random.nextGaussian();
        }
        return new Scenario(name, step, values, -1);
    }

    static Scenario rotating(String name, Random random, long step, long length) {
        double base = 0.3 + 0.4 * random.nextDouble();
        double growth = 0.05 + 0.15 * random.nextDouble();
        long period = (20 + random.nextInt(100)) * 60_000L;
        double[] values = new double[(int) (length / step)];
        for (int i = 0; i < values.length; i++) {
            values[i] = base + growth * ((i * step % period) / (double) period) + 0.002 * random.nextGaussian();
        }
        return new Scenario(name, step, values, -1);
    }

    static Scenario busyPool(String name, Random random, long step, long length) {
        int size = new int[] {10, 20, 50, 100}[random.nextInt(4)];
        double mean = size * (0.2 + 0.4 * random.nextDouble());
        double[] values = new double[(int) (length / step)];
        for (int i = 0; i < values.length; i++) {
            double hourly = 1 + 0.3 * Math.sin(2 * Math.PI * i * step / 3_600_000.0);
            double active = Math.round(mean * hourly + Math.sqrt(mean) * random.nextGaussian());
            values[i] = Math.max(0, Math.min(size - 1, active)) / size;
        }
        return new Scenario(name, step, values, -1);
    }

    /** Growth of 0.005 to 0.03 % per minute: days from full, nothing to forecast within the horizon. */
    static Scenario slowGrowth(String name, Random random, long step, long length) {
        double start = 0.2 + 0.4 * random.nextDouble();
        double perMinute = 0.00005 + 0.00025 * random.nextDouble();
        double[] values = new double[(int) (length / step)];
        for (int i = 0; i < values.length; i++) {
            values[i] = start + perMinute * i * step / 60_000.0 + 0.003 * random.nextGaussian();
        }
        return new Scenario(name, step, values, -1);
    }

    private static Scenario withMissingPoints(Scenario scenario, Random random, double fraction) {
        double[] values = scenario.utilization().clone();
        // never the last point: it marks the exhaustion
        for (int i = 0; i < values.length - 1; i++) {
            if (random.nextDouble() < fraction) {
                values[i] = Double.NaN;
            }
        }
        return new Scenario(scenario.name(), scenario.stepMillis(), values, scenario.exhaustedAtMillis());
    }

    /** Noise must not reach capacity before the underlying level does. */
    private static double clamp(double noisy, double level) {
        return level >= 1.0 ? 1.0 : Math.min(0.999, noisy);
    }

    public static Outcome replay(Scenario scenario, ExhaustionForecaster forecaster) {
        ExhaustionState state = new ExhaustionState();
        long firstFiring = -1;
        int firings = 0;
        for (int i = 0; i < scenario.utilization().length; i++) {
            long t = i * scenario.stepMillis();
            if (scenario.exhaustedAtMillis() >= 0 && t >= scenario.exhaustedAtMillis()) {
                break;
            }
            if (forecaster.update(state, t, scenario.utilization()[i]).fires()) {
                firings++;
                if (firstFiring < 0) {
                    firstFiring = t;
                }
            }
        }
        boolean exhausts = scenario.exhaustedAtMillis() >= 0;
        boolean before = exhausts && firstFiring >= 0;
        return new Outcome(scenario.name(), before,
                before ? Duration.ofMillis(scenario.exhaustedAtMillis() - firstFiring) : null, firings, exhausts);
    }

    /** Prints the lead time of the default forecaster on every scenario. */
    public static void run(PrintStream out) {
        for (Scenario scenario : all(42)) {
            Outcome o = replay(scenario, ExhaustionForecaster.defaults());
            out.printf(Locale.ROOT, "%-34s %s%n", o.name(), o.exhausts()
                    ? (o.firedBeforeExhaustion() ? "lead time " + o.leadTime().toSeconds() + " s" : "MISSED")
                    : (o.firings() == 0 ? "no forecast (correct)" : o.firings() + " false forecasts"));
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
