package io.autonomic.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BucketPercentilesTest {

    private static final double NONE = Double.NaN;

    @Test
    void explicit_uniformObservations_interpolatesCloseToTheTrueQuantile() {
        // 10,000 observations uniform on [0, 1000) in ten buckets of width 100 (plus empty under/overflow buckets)
        double[] bounds = {0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
        long[] counts = new long[bounds.length + 1];
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            double value = random.nextDouble() * 1000;
            int bucket = 0;
            while (bucket < bounds.length && value > bounds[bucket]) {
                bucket++;
            }
            counts[bucket]++;
        }

        assertThat(BucketPercentiles.explicit(0.50, bounds, counts, NONE, NONE)).isCloseTo(500, within(15.0));
        assertThat(BucketPercentiles.explicit(0.95, bounds, counts, NONE, NONE)).isCloseTo(950, within(15.0));
        assertThat(BucketPercentiles.explicit(0.99, bounds, counts, NONE, NONE)).isCloseTo(990, within(15.0));
    }

    @Test
    void explicit_overflowBucketWithRecordedMax_interpolatesUpToTheMax() {
        double[] bounds = {10};
        long[] counts = {0, 10};

        // rank 5 of 10 in (10, max=30]: halfway
        assertThat(BucketPercentiles.explicit(0.5, bounds, counts, 12, 30)).isEqualTo(20.0);
        // without a max the overflow bucket answers its lower bound, then the recorded min lifts it
        assertThat(BucketPercentiles.explicit(0.5, bounds, counts, 12, NONE)).isEqualTo(12.0);
        assertThat(BucketPercentiles.explicit(0.5, bounds, counts, NONE, NONE)).isEqualTo(10.0);
    }

    @Test
    void explicit_underflowBucketWithoutMin_answersItsUpperBound() {
        assertThat(BucketPercentiles.explicit(0.5, new double[] {5, 10}, new long[] {4, 0, 0}, NONE, NONE))
                .isEqualTo(5.0);
        assertThat(BucketPercentiles.explicit(0.5, new double[] {5, 10}, new long[] {4, 0, 0}, 1, NONE))
                .isEqualTo(3.0);
    }

    @Test
    void explicit_emptyOrInconsistent_isNaN() {
        assertThat(BucketPercentiles.explicit(0.5, new double[] {1}, new long[] {0, 0}, NONE, NONE)).isNaN();
        assertThat(BucketPercentiles.explicit(0.5, new double[] {1, 2}, new long[] {3, 4}, NONE, NONE)).isNaN();
    }

    @Test
    void exponential_scaleZero_usesPowersOfTwoAsBounds() {
        // scale 0: base 2; positive offset 3 → buckets (8, 16], (16, 32]
        long[] positive = {2, 2};

        assertThat(BucketPercentiles.exponential(0.25, 0, 0, 3, positive, 0, new long[0], NONE, NONE))
                .isEqualTo(12.0);
        assertThat(BucketPercentiles.exponential(0.75, 0, 0, 3, positive, 0, new long[0], NONE, NONE))
                .isEqualTo(24.0);
    }

    @Test
    void exponential_negativeZeroAndPositive_walksFromMostNegative() {
        // negative offset 0: bucket 0 is [-2, -1), bucket 1 [-4, -2); one zero; positive bucket 0 is (1, 2]
        long[] negative = {1, 1};
        long[] positive = {1};

        // rank 0.4 of 4 lies in the most negative bucket [-4, -2), 40 % of the way up
        assertThat(BucketPercentiles.exponential(0.1, 0, 1, 0, positive, 0, negative, NONE, NONE))
                .isCloseTo(-3.2, within(1e-9));
        assertThat(BucketPercentiles.exponential(0.5, 0, 1, 0, positive, 0, negative, NONE, NONE)).isEqualTo(-1.0);
        assertThat(BucketPercentiles.exponential(0.6, 0, 1, 0, positive, 0, negative, NONE, NONE)).isZero();
        assertThat(BucketPercentiles.exponential(1.0, 0, 1, 0, positive, 0, negative, NONE, NONE)).isEqualTo(2.0);
    }

    @Test
    void exponential_recordedMax_clampsTheEstimate() {
        assertThat(BucketPercentiles.exponential(0.99, 0, 0, 3, new long[] {10}, 0, new long[0], NONE, 9.0))
                .isEqualTo(9.0);
    }
}
