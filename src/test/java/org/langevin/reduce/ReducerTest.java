package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReducerTest {

    /** P = 37 full blocks plus a short one: not a power of two, and a partial last block. */
    private static final int P = 37 * Blocks.SIZE + 123;
    private static final int D = 3;
    private static final long W = 50;

    private static final ParticleLoss LOSS = phi -> {
        double l = phi[phi.length - 1];
        for (float v : phi) {
            l += 0.5 * v * v;
        }
        return l;
    };

    private static float[][] states(long seed, int p, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[d][p];
        for (int i = 0; i < p; i++) {
            double g = MomentsTest.gaussian(r);
            for (int j = 0; j < d; j++) {
                x[j][i] = (float) (j + 0.5 * g + MomentsTest.gaussian(r) * (1 + j));
            }
        }
        return x;
    }

    private static double[][] sums(long seed, float[][] x) {
        int d = x.length;
        int p = x[0].length;
        SplittableRandom r = new SplittableRandom(seed);
        double[][] s = new double[2 * d + 1][p];
        for (int i = 0; i < p; i++) {
            double l = 0;
            for (int j = 0; j < d; j++) {
                double a = x[j][i] + 0.1 * MomentsTest.gaussian(r);
                s[j][i] = W * a;
                s[d + j][i] = W * (a * a + 0.3);
                l += a * a;
            }
            s[2 * d][i] = W * l;
        }
        return s;
    }

    private static ReduceSpec spec() {
        return ReduceSpec.defaults().withHistograms(40, -6, 8).withHistogram2D(20, -4, 4, 25, -5, 7)
                .withLoss(LOSS).withObservable("x0x1", phi -> phi[0] * phi[1]);
    }

    /** Every double (raw bits) and count of a reduction, in a fixed order. */
    static long[] fingerprint(Reduction red) {
        List<Long> out = new ArrayList<>();
        out.add(red.particles());
        out.add(red.diverged());
        for (CoordinateStats c : red.coordinates()) {
            for (double v : new double[] {c.mean(), c.meanStdErr(), c.variance(), c.varianceStdErr(),
                    c.skewness(), c.excessKurtosis(), c.min(), c.max()}) {
                out.add(Double.doubleToRawLongBits(v));
            }
        }
        Summary s = red.summary();
        for (int j = 0; j < s.dimension(); j++) {
            Moments m = s.state(j);
            for (double v : new double[] {m.getMean(), m.getM2(), m.getM3(), m.getM4()}) {
                out.add(Double.doubleToRawLongBits(v));
            }
            if (s.histogram(j) != null) {
                for (long c : s.histogram(j).getCounts()) {
                    out.add(c);
                }
            }
        }
        if (red.hasCovariance()) {
            for (double[][] mat : new double[][][] {red.covariance(), red.covarianceStdErr()}) {
                for (double[] row : mat) {
                    for (double v : row) {
                        out.add(Double.doubleToRawLongBits(v));
                    }
                }
            }
        }
        if (red.hasLoss()) {
            out.add(Double.doubleToRawLongBits(red.loss().mean()));
            out.add(Double.doubleToRawLongBits(red.loss().stdErr()));
        }
        red.observables().values().forEach(e -> {
            out.add(Double.doubleToRawLongBits(e.mean()));
            out.add(Double.doubleToRawLongBits(e.stdErr()));
        });
        Histogram2D h2 = red.histogram2D();
        if (h2 != null) {
            for (int i = 0; i < h2.getBinsX(); i++) {
                for (int j = 0; j < h2.getBinsY(); j++) {
                    out.add(h2.getCount(i, j));
                }
            }
            out.add(h2.getOutside());
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void sameBytesForEveryThreadCountAndPartition() throws Exception {
        float[][] x = states(1, P, D);
        for (ParticleView view : new ParticleView[] {ParticleView.of(x),
                ParticleView.withWindow(x, sums(2, x), W)}) {
            long[] reference = fingerprint(Reducer.reduce(view, spec(), 1));
            for (int t : new int[] {2, 3, 7}) {
                assertArrayEquals(reference, fingerprint(Reducer.reduce(view, spec(), t)), "threads " + t);
            }
            // one partial per block, merged as a list
            List<BlockPartial> leaves = new ArrayList<>();
            for (long b = 0; b < view.blockCount(); b++) {
                leaves.add(Reducer.reduceBlock(view, spec(), b));
            }
            assertArrayEquals(reference, fingerprint(Reducer.merge(leaves)), "per-block merge");
            // random contiguous pieces, each pre-merged, shipped through Java serialisation
            SplittableRandom r = new SplittableRandom(5);
            for (int trial = 0; trial < 4; trial++) {
                List<BlockPartial> shipped = new ArrayList<>();
                long from = 0;
                while (from < view.blockCount()) {
                    long to = Math.min(view.blockCount(), from + 1 + r.nextInt(11));
                    shipped.addAll(roundTrip(Reducer.reduceRange(view, spec(), from, to)));
                    from = to;
                }
                assertArrayEquals(reference, fingerprint(Reducer.merge(shipped)), "pieces, trial " + trial);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<BlockPartial> roundTrip(List<BlockPartial> parts) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(parts));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (List<BlockPartial>) in.readObject();
        }
    }

    @Test
    void pieceViewsWithABlockOffsetGiveTheSamePartials() {
        float[][] x = states(9, 5 * Blocks.SIZE + 17, 2);
        ParticleView whole = ParticleView.of(x);
        int start = 2 * Blocks.SIZE;
        float[][] tail = new float[2][];
        for (int j = 0; j < 2; j++) {
            tail[j] = Arrays.copyOfRange(x[j], start, x[j].length);
        }
        ParticleView piece = ParticleView.of(tail).atFirstBlock(2);
        List<BlockPartial> parts = new ArrayList<>(Reducer.reduceRange(whole, spec(), 0, 2));
        parts.addAll(Reducer.reduceRange(piece, spec(), 2, 6));
        assertArrayEquals(fingerprint(Reducer.reduce(whole, spec(), 2)), fingerprint(Reducer.merge(parts)));
        assertThrows(IllegalArgumentException.class, () -> Reducer.reduceBlock(piece, spec(), 1));
        assertThrows(IllegalArgumentException.class, () -> Reducer.reduce(piece, spec(), 1));
    }

    @Test
    void mergeRejectsGapsAndWrongOrder() {
        ParticleView v = ParticleView.of(states(3, 3 * Blocks.SIZE, 2));
        BlockPartial b0 = Reducer.reduceBlock(v, spec(), 0);
        BlockPartial b1 = Reducer.reduceBlock(v, spec(), 1);
        BlockPartial b2 = Reducer.reduceBlock(v, spec(), 2);
        assertThrows(IllegalArgumentException.class, () -> Reducer.merge(List.of(b0, b2)));
        assertThrows(IllegalArgumentException.class, () -> Reducer.merge(List.of(b1, b0, b2)));
        assertThrows(IllegalArgumentException.class, () -> Reducer.merge(List.of()));
        assertEquals(3 * Blocks.SIZE, Reducer.merge(List.of(b0, b1, b2)).particles());
    }

    @Test
    void agreesWithADirectComputation() {
        float[][] x = states(4, P, D);
        Reduction red = Reducer.reduce(ParticleView.of(x), spec(), 2);
        assertEquals(P, red.particles());
        assertEquals(0, red.diverged());
        double[][] v = new double[D][P];
        for (int j = 0; j < D; j++) {
            for (int i = 0; i < P; i++) {
                v[j][i] = x[j][i];
            }
        }
        Covariance direct = Covariance.ofValues(v, P, null);
        double[][] cov = red.covariance();
        for (int j = 0; j < D; j++) {
            Moments m = Moments.ofValues(v[j], P);
            CoordinateStats c = red.coordinate(j);
            // the tree merge and a single two-pass differ only by rounding: 1e-12 relative is ample
            assertEquals(m.getMean(), c.mean(), 1e-12 * (1 + Math.abs(m.getMean())));
            assertEquals(m.getVariance(), c.variance(), 1e-12 * m.getVariance());
            assertEquals(m.getVarianceStdErr(), c.varianceStdErr(), 1e-9 * m.getVarianceStdErr());
            assertEquals(m.getSkewness(), c.skewness(), 1e-9);
            assertEquals(m.getMin(), c.min());
            assertEquals(m.getMax(), c.max());
            for (int k = 0; k < D; k++) {
                assertEquals(direct.getCovariance(j, k), cov[j][k], 1e-12);
            }
        }
        double[] loss = new double[P];
        float[] phi = new float[D];
        for (int i = 0; i < P; i++) {
            for (int j = 0; j < D; j++) {
                phi[j] = x[j][i];
            }
            loss[i] = LOSS.loss(phi);
        }
        Moments lm = Moments.ofValues(loss, P);
        assertEquals(lm.getMean(), red.loss().mean(), 1e-12 * Math.abs(lm.getMean()));
        assertEquals(lm.getMeanStdErr(), red.loss().stdErr(), 1e-9 * lm.getMeanStdErr());
        long inside = Arrays.stream(red.histograms().get(0).getCounts()).sum();
        assertEquals(P, inside + red.histograms().get(0).getUnderflow() + red.histograms().get(0).getOverflow());
    }

    @Test
    void windowStatisticsUseThePerParticleAverages() {
        float[][] x = states(6, P, 2);
        double[][] s = sums(7, x);
        Reduction red = Reducer.reduce(ParticleView.withWindow(x, s, W), ReduceSpec.defaults(), 3);
        assertTrue(red.timeAveraged());
        for (int j = 0; j < 2; j++) {
            double[] a = new double[P];
            double[] b = new double[P];
            for (int i = 0; i < P; i++) {
                a[i] = s[j][i] / W;
                b[i] = s[2 + j][i] / W;
            }
            PairedMoments pm = PairedMoments.ofValues(a, b, P);
            double mu = pm.getMeanX();
            CoordinateStats c = red.coordinate(j);
            assertEquals(mu, c.mean(), 1e-12 * (1 + Math.abs(mu)));
            // the pooled variance: over the window's steps and the particles
            assertEquals(pm.getMeanY() - mu * mu, c.pooledVariance(), 1e-11 * pm.getMeanY());
            assertEquals(pm.linearCombinationStdErr(-2 * mu, 1), c.pooledVarianceStdErr(), 1e-8 * c.pooledVarianceStdErr());
            assertEquals(Math.sqrt(pm.getVarianceX() / P), c.meanStdErr(), 1e-8 * c.meanStdErr());
            // every other statistic: of the per-particle averages a_i
            Moments am = Moments.ofValues(a, P);
            assertEquals(am.getVariance(), c.variance(), 1e-10 * am.getVariance());
            assertEquals(am.getVarianceStdErr(), c.varianceStdErr(), 1e-8 * am.getVarianceStdErr());
            assertEquals(am.getSkewness(), c.skewness(), 1e-8 * (1 + Math.abs(am.getSkewness())));
            assertEquals(am.getMin(), c.min(), 0.0);
            assertEquals(am.getMax(), c.max(), 0.0);
        }
        double[] l = new double[P];
        for (int i = 0; i < P; i++) {
            l[i] = s[4][i] / W;
        }
        assertEquals(Moments.ofValues(l, P).getMean(), red.loss().mean(), 1e-12 * red.loss().mean());
    }

    @Test
    void finalStateStatisticsHaveNoPooledVariance() {
        float[][] x = states(8, P, 1);
        CoordinateStats c = Reducer.reduce(ParticleView.of(x), ReduceSpec.defaults(), 2).coordinate(0);
        assertTrue(Double.isNaN(c.pooledVariance()) && Double.isNaN(c.pooledVarianceStdErr()));
        assertTrue(!c.pooled());
    }

    @Test
    void divergedParticlesAreCountedAndExcludedFromEveryStatistic() {
        int p = 3 * Blocks.SIZE + 5;
        float[][] x = states(8, p, 2);
        double[][] s = sums(9, x);
        int[] bad = {0, 17, 4095, 4096, 9000, p - 1};
        x[0][0] = Float.NaN;
        x[1][17] = Float.POSITIVE_INFINITY;
        x[0][4095] = Float.NEGATIVE_INFINITY;
        s[0][4096] = Double.NaN;          // window sum of x_0
        s[3][9000] = Double.POSITIVE_INFINITY; // window sum of x_1²
        s[4][p - 1] = Double.NaN;         // window sum of the loss
        boolean[] isBad = new boolean[p];
        for (int i : bad) {
            isBad[i] = true;
        }
        Reduction red = Reducer.reduce(ParticleView.withWindow(x, s, W),
                ReduceSpec.defaults().withHistograms(10, -3, 3).withHistogram2D(4, -3, 3, 4, -3, 3), 2);
        assertEquals(bad.length, red.diverged());
        assertEquals(p - bad.length, red.particles());
        for (int j = 0; j < 2; j++) {
            double[] a = new double[p];
            int n = 0;
            for (int i = 0; i < p; i++) {
                if (!isBad[i]) {
                    a[n] = s[j][i] / W;
                    n++;
                }
            }
            CoordinateStats c = red.coordinate(j);
            assertTrue(Double.isFinite(c.mean()) && Double.isFinite(c.variance()) && Double.isFinite(c.max()));
            assertEquals(Moments.ofValues(a, n).getMean(), c.mean(), 1e-12);
            // with window sums the extremes are those of the per-particle averages
            assertEquals(Moments.ofValues(a, n).getMax(), c.max());
            assertEquals(p - bad.length, red.histograms().get(j).getTotal());
        }
        assertTrue(Double.isFinite(red.loss().mean()));
        assertEquals(p - bad.length, red.loss().count());
        assertEquals(p - bad.length, red.histogram2D().getTotal());
        double[][] cov = red.covariance();
        assertTrue(Double.isFinite(cov[0][1]));

        // a non-finite loss or observable at a finite state also marks the particle diverged
        float[][] y = states(10, 1000, 2);
        Reduction r2 = Reducer.reduce(ParticleView.of(y), ReduceSpec.defaults()
                .withLoss(phi -> phi[0] > 2 ? Double.NaN : phi[0])
                .withObservable("inv", phi -> 1.0 / (phi[1] > 5 ? 0 : 1)), 1);
        long expected = 0;
        for (int i = 0; i < 1000; i++) {
            if (y[0][i] > 2 || y[1][i] > 5) {
                expected++;
            }
        }
        assertTrue(expected > 0);
        assertEquals(expected, r2.diverged());
        assertEquals(1000 - expected, r2.loss().count());
        assertTrue(r2.coordinate(0).max() <= 2);
    }

    @Test
    void specAndArgumentValidationNamesTheProblem() {
        float[][] x = states(1, 100, 1);
        ParticleView v = ParticleView.of(x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reducer.reduce(v, ReduceSpec.defaults(), 0));
        assertTrue(e.getMessage().contains("threads"));
        assertThrows(IllegalArgumentException.class,
                () -> Reducer.reduce(v, ReduceSpec.defaults().withHistogram2D(2, 0, 1, 2, 0, 1), 1));
        assertThrows(IllegalArgumentException.class, () -> ParticleView.withWindow(x, new double[2][100], 5));
        assertThrows(IllegalArgumentException.class, () -> ParticleView.withWindow(x, new double[3][100], 0));
        assertThrows(IllegalArgumentException.class, () -> ParticleView.of(new float[][] {new float[3], new float[4]}));
        float[][] wide = new float[65][10];
        assertFalse(Reducer.reduce(ParticleView.of(wide), ReduceSpec.defaults(), 1).hasCovariance());
        assertThrows(IllegalArgumentException.class,
                () -> Reducer.reduce(ParticleView.of(wide), ReduceSpec.defaults().withCovariance(true), 1));
        assertThrows(IllegalStateException.class,
                () -> Reducer.reduce(v, ReduceSpec.defaults(), 1).loss());
    }
}
