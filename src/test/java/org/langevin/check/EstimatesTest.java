package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EstimatesTest {
    /** Hand-computed values are exact up to double rounding. */
    private static final double EXACT = 1e-12;

    @Test
    void meanAndStandardErrorOfKnownValues() {
        // values 1..4: mean 2.5, sample variance 5/3, SE = sqrt(5/3/4)
        Estimate e = Estimates.mean(new double[] {1, 2, 3, 4});
        assertEquals(2.5, e.value(), EXACT);
        assertEquals(Math.sqrt(5.0 / 3 / 4), e.stdErr(), EXACT);
    }

    @Test
    void pairedDifferenceUsesTheSpreadOfTheDifferences() {
        double[] lhs = {10, 20, 30, 40};
        double[] rhs = {9, 21, 29, 41};
        PairedEstimate p = Estimates.paired(lhs, rhs);
        assertEquals(25, p.lhs(), EXACT);
        assertEquals(25, p.rhs(), EXACT);
        // differences 1, −1, 1, −1: mean 0, sample variance 4/3
        assertEquals(0, p.difference().value(), EXACT);
        assertEquals(Math.sqrt(4.0 / 3 / 4), p.difference().stdErr(), EXACT);
    }

    @Test
    void ratioOfProportionalPairsHasNoError() {
        double[] b = {1, 2, 3, 4, 5};
        double[] a = {3, 6, 9, 12, 15};
        Estimate r = Estimates.ratio(a, b);
        assertEquals(3, r.value(), EXACT);
        assertEquals(0, r.stdErr(), EXACT);
    }

    @Test
    void ratioOfIndependentEstimatesByDeltaMethod() {
        Estimate r = Estimates.ratio(new Estimate(2, 0.2), new Estimate(4, 0.4));
        assertEquals(0.5, r.value(), EXACT);
        // relative errors 10% and 10% add in quadrature
        assertEquals(0.5 * Math.sqrt(0.02), r.stdErr(), EXACT);
    }

    @Test
    void richardsonRemovesALinearBias() {
        // f(h) = 1 + 3h at h = 0.2 and 0.1
        Estimate e = Estimates.richardson(new Estimate(1.6, 0.01), new Estimate(1.3, 0.01));
        assertEquals(1.0, e.value(), EXACT);
        assertEquals(Math.sqrt(5) * 0.01, e.stdErr(), EXACT);
    }

    @Test
    void rejectsTooFewValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Estimates.mean(new double[1]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("at least 2"));
    }
}
