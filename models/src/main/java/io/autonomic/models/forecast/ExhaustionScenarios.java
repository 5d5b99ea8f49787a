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
