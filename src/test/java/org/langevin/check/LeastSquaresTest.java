package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LeastSquaresTest {
    /** Exact data are reproduced to rounding. */
    private static final double EXACT = 1e-10;

    @Test
    void quadraticThroughExactPointsIsRecovered() {
        double[] x = {0.01, 0.02, 0.04, 0.08};
        double[] y = new double[4];
        double[] se = new double[4];
        for (int k = 0; k < 4; k++) {
            y[k] = 0.5 + 2 * x[k] - 7 * x[k] * x[k];
            se[k] = 1e-3 * (k + 1);
        }
        LeastSquares.Fit f = LeastSquares.polynomial(x, y, se, 2);
        assertEquals(0.5, f.coefficients()[0], EXACT);
        assertEquals(2, f.coefficients()[1], 1e-8);
        assertEquals(-7, f.coefficients()[2], 1e-6);
        assertEquals(0, f.chiSquare(), 1e-12);
        assertEquals(1, f.degreesOfFreedom());
    }

    @Test
    void straightLineCovarianceMatchesTheClosedForm() {
        // two points at x = 0 and 1 with unit errors: intercept error 1, slope error √2, covariance −1
        LeastSquares.Fit f = LeastSquares.polynomial(new double[] {0, 1}, new double[] {1, 3}, new double[] {1, 1}, 1);
        assertEquals(1, f.coefficients()[0], EXACT);
        assertEquals(2, f.coefficients()[1], EXACT);
        assertEquals(1, f.covariance()[0][0], EXACT);
        assertEquals(2, f.covariance()[1][1], EXACT);
        assertEquals(-1, f.covariance()[0][1], EXACT);
    }

    @Test
    void powerLawExponent() {
        double[] x = {0.005, 0.01, 0.02, 0.04};
        double[] y = new double[4];
        double[] se = new double[4];
        for (int k = 0; k < 4; k++) {
            y[k] = 3 * Math.sqrt(x[k]);
            se[k] = 0.01 * y[k];
        }
        LeastSquares.Fit f = LeastSquares.powerLaw(x, y, se);
        assertEquals(0.5, f.coefficients()[1], EXACT);
        // every point has relative error 1%: the slope error is 0.01/sqrt(Σ(ln x − mean)²)
        double mean = 0;
        for (double v : x) {
            mean += Math.log(v) / 4;
        }
        double sxx = 0;
        for (double v : x) {
            sxx += (Math.log(v) - mean) * (Math.log(v) - mean);
        }
        assertEquals(0.01 / Math.sqrt(sxx), f.coefficient(1).stdErr(), EXACT);
    }

    @Test
    void rejectsTooFewPointsAndBadErrors() {
        assertThrows(IllegalArgumentException.class,
                () -> LeastSquares.polynomial(new double[] {1, 2}, new double[] {1, 2}, new double[] {1, 1}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> LeastSquares.polynomial(new double[] {1, 2}, new double[] {1, 2}, new double[] {1, 0}, 1));
    }
}
