package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DoubleWellLawTest {
    /** docs/theory.md O6 gives ten significant digits; the table is accurate to about 1e-12. */
    private static final double TEN_DIGITS = 5e-10;

    @Test
    void normalisersAndSecondMomentsMatchTheory() {
        DoubleWellLaw hot = new DoubleWellLaw(1);
        DoubleWellLaw cold = new DoubleWellLaw(5);
        assertEquals(1.9737321501, hot.normaliser(), TEN_DIGITS * 2);
        assertEquals(0.8340588041, cold.normaliser(), TEN_DIGITS);
        assertEquals(0.8327454871, hot.moment(2), TEN_DIGITS);
        assertEquals(0.9368339404, cold.moment(2), TEN_DIGITS);
    }

    @Test
    void agreesWithTheTheoryPackage() {
        // theory.DoubleWell integrates adaptively; the tabulated law here is a second implementation
        for (double beta : new double[] {1, 5}) {
            DoubleWellLaw law = new DoubleWellLaw(beta);
            org.langevin.theory.DoubleWell ref = new org.langevin.theory.DoubleWell(beta);
            assertEquals(ref.meanSquare(), law.moment(2), 1e-10, "beta = " + beta);
            for (double x : new double[] {-1.5, -1, -0.3, 0.2, 0.9, 1.4}) {
                assertEquals(ref.cdf(x), law.cdf(x), 1e-9, "beta = " + beta + ", x = " + x);
                assertEquals(ref.density(x), law.density(x), 1e-10 * (1 + ref.density(x)), "beta = " + beta);
            }
        }
    }

    @Test
    void normaliserFreeIdentityHolds() {
        // E x⁴ − E x² = 1/(4β), from E[x L′(x)] = 1/β (docs/theory.md O6)
        for (double beta : new double[] {0.5, 1, 5, 20}) {
            DoubleWellLaw law = new DoubleWellLaw(beta);
            assertEquals(1 / (4 * beta), law.moment(4) - law.moment(2), 1e-11, "beta = " + beta);
        }
    }

    @Test
    void cdfIsSymmetricAndQuantileInvertsIt() {
        DoubleWellLaw law = new DoubleWellLaw(5);
        assertEquals(0.5, law.cdf(0), 1e-11);
        for (double x : new double[] {-1.3, -0.9, -0.2, 0.4, 1.1}) {
            assertEquals(1 - law.cdf(x), law.cdf(-x), 1e-11, "x = " + x);
            assertEquals(x, law.quantile(law.cdf(x)), 1e-9, "x = " + x);
        }
        // density integrates to the CDF difference (Simpson on a fine grid)
        double a = 0.3;
        double b = 1.2;
        int n = 20000;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * law.density(a + (b - a) * i / n);
        }
        // the cumulative trapezoid rule of the table is accurate to about 1e-9 (h² = 7e-10)
        assertEquals(law.cdf(b) - law.cdf(a), s * (b - a) / n / 3, 1e-9);
    }
}
