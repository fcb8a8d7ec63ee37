package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MomentsTest {

    /** Relative accuracy of double moment sums over 10^4 values: about n·2^-53 ≈ 1e-12, with margin. */
    private static final double REL = 1e-10;

    /** Two-pass reference in double: mean, then central sums (plain loops, independent of Moments). */
    private static double[] reference(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        double mu = s / v.length;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double x : v) {
            double d = x - mu;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        return new double[] {mu, m2, m3, m4};
    }

    private static double[] data(long seed, int n, double offset, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // skewed data: exponential, so M3 and M4 are far from zero
            v[i] = offset + scale * -Math.log(1 - r.nextDouble());
        }
        return v;
    }

    @Test
    void acceptCombineAndOfValuesAgreeWithTwoPass() {
        for (double offset : new double[] {0, 1e3, -1e6}) {
            double[] v = data(42, 10_000, offset, 2.5);
            double[] ref = reference(v);
            Moments streamed = new Moments();
            for (double x : v) {
                streamed.accept(x);
            }
            Moments block = Moments.ofValues(v, v.length);
            // merge of uneven pieces in order, mixing accept-built and ofValues-built parts
            Moments merged = new Moments();
            int[] cuts = {0, 1, 7, 4096, 5000, 9999, 10_000};
            for (int c = 0; c + 1 < cuts.length; c++) {
                double[] piece = java.util.Arrays.copyOfRange(v, cuts[c], cuts[c + 1]);
                merged.combine(c % 2 == 0 ? Moments.ofValues(piece, piece.length) : streamOf(piece));
            }
            // a mean error dmu shifts Mk by about k·M(k-1)·dmu; the streamed mean is accurate to
            // about 1000 ulps of the offset, so allow dmu = 1e-13·(|offset| + scale) on top of REL
            double dmu = 1e-13 * (Math.abs(offset) + 2.5);
            for (Moments m : new Moments[] {streamed, block, merged}) {
                assertEquals(10_000, m.getCount());
                assertEquals(ref[0], m.getMean(), dmu, "mean");
                assertEquals(ref[1], m.getM2(), REL * ref[1], "M2");
                assertEquals(ref[2], m.getM3(), REL * Math.abs(ref[2]) + 3 * ref[1] * dmu, "M3");
                assertEquals(ref[3], m.getM4(), REL * ref[3] + 4 * Math.abs(ref[2]) * dmu, "M4");
            }
            // exponential law: skewness 2, excess kurtosis 6; sampling sd at n=1e4 about 0.1 and 1.5
            assertEquals(2.0, block.getSkewness(), 0.5);
            assertEquals(6.0, block.getExcessKurtosis(), 7.5);
        }
    }

    private static Moments streamOf(double[] v) {
        Moments m = new Moments();
        for (double x : v) {
            m.accept(x);
        }
        return m;
    }

    @Test
    void derivedStatisticsFollowTheirDefinitions() {
        double[] v = {1, 2, 4, 8, 16};
        Moments m = Moments.ofValues(v, v.length);
        double[] ref = reference(v);
        assertEquals(6.2, m.getMean(), 1e-15);
        assertEquals(ref[1] / 4, m.getVariance(), 1e-12);
        assertEquals(Math.sqrt(ref[1] / 4 / 5), m.getMeanStdErr(), 1e-12);
        double s2 = ref[1] / 4;
        assertEquals(Math.sqrt((ref[3] / 5 - s2 * s2 * 2 / 4) / 5), m.getVarianceStdErr(), 1e-12);
        double v2 = ref[1] / 5;
        assertEquals((ref[2] / 5) / Math.pow(v2, 1.5), m.getSkewness(), 1e-12);
        assertEquals((ref[3] / 5) / (v2 * v2) - 3, m.getExcessKurtosis(), 1e-12);
        assertEquals(1, m.getMin());
        assertEquals(16, m.getMax());
    }

    @Test
    void emptyAndTinySamplesGiveNaNNotGarbage() {
        Moments e = new Moments();
        assertTrue(Double.isNaN(e.getMean()));
        assertTrue(Double.isNaN(e.getVariance()));
        assertTrue(Double.isNaN(e.getMin()));
        Moments one = Moments.ofValues(new double[] {3}, 1);
        assertEquals(3, one.getMean());
        assertTrue(Double.isNaN(one.getVariance()));
        assertTrue(Double.isNaN(one.getVarianceStdErr()));
        // combining with empty leaves the bits unchanged, on either side
        Moments m = Moments.ofValues(data(1, 100, 5, 1), 100);
        Moments a = m.copy().combine(new Moments());
        Moments b = new Moments().combine(m);
        for (Moments x : new Moments[] {a, b}) {
            assertEquals(Double.doubleToRawLongBits(m.getM4()), Double.doubleToRawLongBits(x.getM4()));
            assertEquals(Double.doubleToRawLongBits(m.getMean()), Double.doubleToRawLongBits(x.getMean()));
        }
    }

    @Test
    void normalVarianceStdErrMatchesTheClosedForm() {
        // for a normal law Var(s²) = 2σ⁴/(n−1); the plug-in formula must agree to sampling accuracy
        // (relative sd of the M4 estimate at n = 10^5 is about 1%; tolerance 8%)
        SplittableRandom r = new SplittableRandom(7);
        Moments m = new Moments();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            m.accept(3 * gaussian(r));
        }
        double expected = 9 * Math.sqrt(2.0 / (n - 1));
        assertEquals(expected, m.getVarianceStdErr(), 0.08 * expected);
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        double w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }
}
