package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DensityTestsTest {
    @Test
    void binCountIsTwoPToTheTwoFifths() {
        assertEquals(200, DensityTests.bins(100_000));
        assertEquals(264, DensityTests.bins(200_000));
    }

    /**
     * 200 repetitions of each test on exact uniform draws: the count of p < 0.05 is Binomial(200, 0.05),
     * mean 10; at most 22 allowed (false-alarm rate about 2e-4 per test, fixed seeds). A shifted law
     * (Uniform[0.02, 1.02]) must be rejected every time at 2000 draws.
     */
    @Test
    void pValuesAreUniformUnderTheClaimAndSmallOtherwise() {
        SplittableRandom rnd = new SplittableRandom(11);
        int chiLow = 0;
        int ksLow = 0;
        int twoLow = 0;
        for (int rep = 0; rep < 200; rep++) {
            double[] x = new double[2000];
            double[] y = new double[2000];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextDouble();
                y[i] = rnd.nextDouble();
            }
            if (DensityTests.chiSquare(x, DensityTestsTest::uniform).pValue() < 0.05) {
                chiLow++;
            }
            if (DensityTests.kolmogorovSmirnov(x, DensityTestsTest::uniform).pValue() < 0.05) {
                ksLow++;
            }
            if (DensityTests.kolmogorovSmirnov(x, y).pValue() < 0.05) {
                twoLow++;
            }
            double[] shifted = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                shifted[i] = 0.06 + x[i];
            }
            assertTrue(DensityTests.kolmogorovSmirnov(shifted, DensityTestsTest::uniform).pValue() < 1e-4);
            assertTrue(DensityTests.chiSquare(shifted, DensityTestsTest::uniform).pValue() < 1e-4);
        }
        assertTrue(chiLow <= 22, "chi-square: " + chiLow + " of 200 below 0.05");
        assertTrue(ksLow <= 22, "KS: " + ksLow + " of 200 below 0.05");
        assertTrue(twoLow <= 22, "two-sample KS: " + twoLow + " of 200 below 0.05");
    }

    private static double uniform(double x) {
        return Math.max(0, Math.min(1, x));
    }
}
