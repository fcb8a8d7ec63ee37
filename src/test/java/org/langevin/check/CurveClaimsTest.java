package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** The curve claim's Bonferroni combination, on hand-made curves (no randomness). */
class CurveClaimsTest {
    private static final long[] STEPS = {10, 20, 30, 40};

    @Test
    void pIsKTimesTheSmallestPointPValueAndTheWorstPointIsReported() {
        double[] exact = {1, 2, 3, 4};
        double[] se = {0.1, 0.1, 0.1, 0.1};
        double[] est = {1.05, 2.0, 2.7, 4.1}; // z = 0.5, 0, −3, 1
        ClaimResult r = CurveClaims.of("c", "curve", STEPS, est, se, exact, Verdict.CONFIRMED);
        double pPoint = 2 * NormalDistribution.of(0, 1).survivalProbability(3.0);
        assertEquals(4 * pPoint, r.pValue(), 1e-12);
        assertEquals(2.7, r.estimate());
        assertEquals(3.0, r.expected());
        assertEquals(0.1, r.stdErr());
        assertTrue(r.z() < 0, "the worst point lies below the curve: " + r.z());
        assertEquals(NormalDistribution.of(0, 1).inverseSurvivalProbability(2 * pPoint), -r.z(), 1e-9);
        assertTrue(CurveClaims.isCurve(r));
        assertTrue(r.claim().contains("step 30"), r.claim());
    }

    @Test
    void aCurveOnTheExactValuesHasPOneAndZZero() {
        double[] exact = {1, 2, 3, 4};
        ClaimResult r = CurveClaims.of("c", "curve", STEPS, exact, new double[] {1, 1, 1, 1}, exact, Verdict.CONFIRMED);
        assertEquals(1.0, r.pValue());
        assertEquals(0.0, r.z());
    }

    @Test
    void aFarPointIsRefutedAtTheRunsThreshold() {
        double[] exact = {0, 0, 0, 0};
        ClaimResult r = CurveClaims.of("c", "curve", STEPS, new double[] {0, 0, 0.6, 0}, new double[] {0.1, 0.1, 0.1, 0.1},
                exact, Verdict.CONFIRMED);
        assertEquals(Verdict.REFUTED, Verdicts.verdict(r.z(), Verdicts.threshold(10, Verdicts.DEFAULT_ALPHA)));
    }

    @Test
    void mismatchedLengthsAndZeroErrorsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CurveClaims.of("c", "x", STEPS, new double[3], new double[4],
                new double[4], Verdict.CONFIRMED));
        assertThrows(IllegalArgumentException.class, () -> CurveClaims.of("c", "x", STEPS, new double[4], new double[4],
                new double[4], Verdict.CONFIRMED));
    }
}
