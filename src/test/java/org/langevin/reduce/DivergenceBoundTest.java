package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reducer's divergence bound: particles beyond B (final state or, with window sums, time
 * averages) are counted as diverged and left out of every statistic, with the same bytes for every
 * thread count and split. Exact arithmetic: no tolerance beyond double rounding of a mean of a few values.
 */
class DivergenceBoundTest {
    /** The bound of these tests. */
    private static final double B = 1e6;

    @Test
    void aParticleBeyondTheBoundIsExcludedAndOneWithinIsKept() {
        float[][] x = {{1f, -2f, (float) (B / 2), 1e20f, Float.NaN, (float) (-2 * B)}};
        Reduction red = Reducer.reduce(ParticleView.of(x), ReduceSpec.defaults().withDivergenceBound(B), 1);
        assertEquals(3, red.diverged(), "1e20, NaN and -2B are diverged");
        assertEquals(3, red.particles());
        double mean = (1 - 2 + B / 2) / 3;
        assertEquals(mean, red.coordinate(0).mean(), 1e-15 * B);
        assertEquals(B / 2, red.coordinate(0).max(), 0.0);
        Reduction none = Reducer.reduce(ParticleView.of(x), ReduceSpec.defaults(), 1);
        assertEquals(1, none.diverged(), "without a bound only NaN is diverged");
    }

    @Test
    void everyCoordinateCounts() {
        float[][] x = {{1f, 2f, 3f}, {0f, 1e7f, 0f}};
        Reduction red = Reducer.reduce(ParticleView.of(x), ReduceSpec.defaults().withDivergenceBound(B), 1);
        assertEquals(1, red.diverged());
        assertEquals(2.0, red.coordinate(0).mean(), 1e-15);
    }

    @Test
    void timeAveragesBeyondTheBoundAreDiverged() {
        long w = 10;
        // Three particles with finite final states inside the bound; the second has an average
        // |mean x| > B, the third an average of x² > B² (its mean is 0).
        float[][] x = {{0.5f, 0.5f, 0.5f}};
        double[][] sums = {
            {1.0 * w, 2 * B * w, 0},
            {1.0 * w, 4 * B * B * w, 4 * B * B * w},
            {0.1 * w, 0.1 * w, 0.1 * w}};
        Reduction red = Reducer.reduce(ParticleView.withWindow(x, sums, w),
                ReduceSpec.defaults().withDivergenceBound(B), 1);
        assertEquals(2, red.diverged());
        assertEquals(1.0, red.coordinate(0).mean(), 1e-15);
    }

    @Test
    void sameBytesForEveryThreadCountAndSplit() {
        int p = 9 * Blocks.SIZE + 17;
        float[][] x = new float[2][p];
        SplittableRandom r = new SplittableRandom(3);
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < p; i++) {
                x[j][i] = (float) (r.nextDouble() < 0.01 ? 1e30 * (r.nextDouble() - 0.5) : r.nextGaussian());
            }
        }
        ReduceSpec spec = ReduceSpec.defaults().withDivergenceBound(10).withHistograms(20, -3, 3);
        ParticleView v = ParticleView.of(x);
        long[] one = ReducerTest.fingerprint(Reducer.reduce(v, spec, 1));
        assertArrayEquals(one, ReducerTest.fingerprint(Reducer.reduce(v, spec, 3)));
        List<BlockPartial> parts = new ArrayList<>(Reducer.reduceRange(v, spec, 0, 4));
        parts.addAll(Reducer.reduceRange(v, spec, 4, v.blockCount()));
        assertArrayEquals(one, ReducerTest.fingerprint(Reducer.merge(parts)));
    }

    @Test
    void rejectsBoundsThatAreNotPositive() {
        for (double b : new double[] {0, -1, Double.NaN, Double.NEGATIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> ReduceSpec.defaults().withDivergenceBound(b), "" + b);
        }
        assertEquals(Double.POSITIVE_INFINITY, ReduceSpec.defaults().divergenceBound());
    }
}
