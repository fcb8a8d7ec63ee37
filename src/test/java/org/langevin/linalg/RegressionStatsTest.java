package org.langevin.linalg;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langevin.linalg.TestMatrices.assertMatrixEquals;
import static org.langevin.linalg.TestMatrices.assertVectorEquals;

/**
 * Tests of {@link RegressionStats} against independent computations written out in the test. Double-precision
 * sums over 200 examples of O(1) terms carry relative rounding ~1e−14; tolerances are 1e−10 unless stated.
 */
class RegressionStatsTest {

    private static final double TOL = 1e-10;

    private static RegressionStats stats(boolean prior) {
        float[][] data = TestMatrices.regressionData(new Random(11), 200, 3, 0.7);
        return prior ? RegressionStats.withPrior(data[0], data[1], 3, 0.5, 2.0)
                : RegressionStats.of(data[0], data[1], 3, 0.5);
    }

    @Test
    void oneDimensionalMinimiserHasClosedForm() {
        float[] x = {1, 2, -1, 0.5f};
        float[] y = {2, 3, -1, 1};
        double sxy = 1 * 2 + 2 * 3 + 1 + 0.5;
        double sxx = 1 + 4 + 1 + 0.25;
        assertEquals(sxy / sxx, RegressionStats.of(x, y, 1, 0.3).phiStar()[0], 1e-15);
        // with a prior N(0, tau^2): Phi* = sxy / (sxx + s^2/tau^2)
        assertEquals(sxy / (sxx + 0.3 / 2.0), RegressionStats.withPrior(x, y, 1, 0.3, 2.0).phiStar()[0], 1e-15);
    }

    @Test
    void gradientVanishesAndLossIsQuadraticWithHessianH() {
        for (boolean prior : new boolean[] {false, true}) {
            RegressionStats s = stats(prior);
            double[][] g = s.perExampleGradients();
            double[] mean = new double[3];
            for (double[] gi : g) {
                for (int k = 0; k < 3; k++) {
                    mean[k] += gi[k] / g.length;
                }
            }
            for (double m : mean) {
                assertEquals(0.0, m, 1e-12, "mean gradient at Phi*");
            }
            // L(Phi* + delta) - L* = 1/2 delta^T H delta exactly for a quadratic
            double[] delta = {0.3, -0.2, 0.5};
            double[] phi = s.phiStar();
            for (int k = 0; k < 3; k++) {
                phi[k] += delta[k];
            }
            double[] hd = Matrices.multiply(s.hessian(), delta);
            double quad = 0.5 * (delta[0] * hd[0] + delta[1] * hd[1] + delta[2] * hd[2]);
            assertEquals(quad, s.loss(phi) - s.minimumLoss(), 1e-9 * quad, "quadratic form");
            // H Phi* = b
            assertVectorEquals(s.linearTerm(), Matrices.multiply(s.hessian(), s.phiStar()), 1e-12, "H Phi* = b");
        }
    }

    @Test
    void noiseCovarianceMatchesDirectComputation() {
        RegressionStats s = stats(true);
        double[][] g = s.perExampleGradients();
        double[][] direct = new double[3][3];
        for (double[] gi : g) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    direct[a][b] += gi[a] * gi[b] / g.length; // mean is 0 at Phi*
                }
            }
        }
        assertMatrixEquals(direct, s.noiseCovariance(), TOL, "Sigma");
        assertEquals(Matrices.trace(direct), s.meanSquaredGradientNorm(), TOL * Matrices.trace(direct), "E|g|^2");
        double[][] l = s.noiseCholesky();
        assertMatrixEquals(s.noiseCovariance(), Matrices.multiply(l, Matrices.transpose(l)), TOL, "S S^T");
    }

    @Test
    void residualMomentIsSigmaWithoutPriorAndSigmaPlusOuterProductWithPrior() {
        RegressionStats plain = stats(false);
        assertMatrixEquals(plain.noiseCovariance(), plain.residualMoment(), TOL, "S = Sigma without prior");
        RegressionStats withPrior = stats(true);
        double[] p = withPrior.phiStar();
        double share = 1.0 / (withPrior.n() * withPrior.priorVariance());
        double[][] expected = withPrior.noiseCovariance();
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                expected[a][b] += share * share * p[a] * p[b];
            }
        }
        assertMatrixEquals(expected, withPrior.residualMoment(), TOL, "S = Sigma + p p^T with prior");
    }

    @Test
    void freshExampleSquaredGradientNormMatchesExplicitSum() {
        RegressionStats s = stats(true);
        double[][] c = TestMatrices.randomSpd(new Random(5), 3, 0.1);
        double sum = 0;
        for (int i = 0; i < s.n(); i++) {
            double[][] a = s.perExampleHessian(i);
            sum += Matrices.trace(Matrices.multiply(Matrices.multiply(a, c), a));
        }
        double expected = sum / s.n() + Matrices.trace(s.noiseCovariance());
        assertEquals(expected, s.meanSquaredGradientNorm(c), TOL * expected);
        // the mean of the per-example Hessians is H
        double[][] mean = new double[3][3];
        for (int i = 0; i < s.n(); i++) {
            mean = Matrices.linear(1.0, mean, 1.0 / s.n(), s.perExampleHessian(i));
        }
        assertMatrixEquals(s.hessian(), mean, TOL, "E A_i = H");
    }

    @Test
    void rankDeficientDesignSuggestsPrior() {
        float[] x = {1, 2, 2, 4, 3, 6}; // second column = 2 x first
        float[] y = {1, 2, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegressionStats.of(x, y, 2, 1.0));
        assertTrue(e.getMessage().contains("--prior-variance"), e.getMessage());
        RegressionStats ok = RegressionStats.withPrior(x, y, 2, 1.0, 10.0);
        assertEquals(2, ok.phiStar().length);
    }

    @Test
    void invalidArgumentsAreNamed() {
        float[] x = {1, 2};
        float[] y = {1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegressionStats.of(x, y, 1, Double.NaN));
        assertTrue(e.getMessage().contains("noise variance"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RegressionStats.of(x, y, 3, 1.0));
        assertThrows(IllegalArgumentException.class, () -> RegressionStats.withPrior(x, y, 1, 1.0, -1));
    }
}
