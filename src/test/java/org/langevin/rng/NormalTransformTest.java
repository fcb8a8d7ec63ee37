package org.langevin.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/**
 * The distribution of the normals of one particle's stream (10⁷ draws, fixed seed). Each moment
 * is compared with its exact value within 5 standard errors (false-alarm rate 5.7·10⁻⁷ each); the
 * Kolmogorov–Smirnov test rejects at p < 10⁻⁴; the tail counts within 5 SE of their binomial mean.
 * All together the false-alarm rate of this class is below 2·10⁻⁴.
 */
class NormalTransformTest {
    static final int N = 10_000_000;
    static final double Z = 5.0;

    static double[] draws(long seed, long particle) {
        double[] x = new double[N];
        float[] four = new float[4];
        int[] words = new int[4];
        for (int b = 0; b < N / 4; b++) {
            NormalTransform.normal4(seed, particle, b, words, four, 0);
            for (int k = 0; k < 4; k++) {
                x[4 * b + k] = four[k];
            }
        }
        return x;
    }

    @Test
    void momentsKolmogorovSmirnovAndTails() {
        double[] x = draws(20261124L, 3);
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        long tail4 = 0;
        double maxAbs = 0;
        for (double v : x) {
            double v2 = v * v;
            m1 += v;
            m2 += v2;
            m3 += v2 * v;
            m4 += v2 * v2;
            maxAbs = Math.max(maxAbs, Math.abs(v));
            if (Math.abs(v) > 4) {
                tail4++;
            }
        }
        m1 /= N;
        m2 /= N;
        m3 /= N;
        m4 /= N;
        // Standard errors of the raw moments of N(0,1): sqrt(E x^{2k} − (E x^k)²)/√N.
        assertEquals(0, m1, Z * Math.sqrt(1.0 / N), "mean");
        assertEquals(1, m2, Z * Math.sqrt(2.0 / N), "second moment");
        assertEquals(0, m3, Z * Math.sqrt(15.0 / N), "third moment");
        assertEquals(3, m4, Z * Math.sqrt((105.0 - 9.0) / N), "fourth moment");
        NormalDistribution nd = NormalDistribution.of(0, 1);
        double p4 = 2 * nd.survivalProbability(4);
        assertEquals(N * p4, tail4, Z * Math.sqrt(N * p4 * (1 - p4)), "P(|x| > 4)");
        assertTrue(maxAbs <= NormalTransform.MAX_ABS + 1e-6, "Box–Muller bound exceeded: " + maxAbs);
        assertTrue(maxAbs > 5.0, "no draw beyond 5 in 10^7 is itself a 1e-3 event: " + maxAbs);
        var ks = KolmogorovSmirnovTest.withDefaults().test(x, nd::cumulativeProbability);
        assertTrue(ks.getPValue() > 1e-4, "KS p = " + ks.getPValue() + ", D = " + ks.getStatistic());
    }

    @Test
    void uniformIsInTheHalfOpenUnitInterval() {
        assertEquals(0x1p-33f, NormalTransform.uniform(0));
        assertEquals(1f, NormalTransform.uniform(-1));
        assertTrue(NormalTransform.uniform(1) > 0x1p-33f);
    }
}
