package org.langevin.linalg;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langevin.linalg.TestMatrices.assertMatrixEquals;

/**
 * Tests of the generalised O2 solver against (1) the exact second moment of SGD obtained by enumerating every
 * batch sequence, (2) a brute-force iteration of the covariance recursion written with explicit per-example
 * matrices, and (3) one-dimensional closed forms.
 */
class SgdStationaryCovarianceTest {

    /** Small regression problem: n = 4 examples in d = 2 (used for enumeration). */
    private static final float[] X4 = {1.0f, 0.5f, -0.3f, 1.2f, 0.8f, -1.0f, 0.2f, 0.4f};
    private static final float[] Y4 = {1.0f, -0.5f, 0.7f, 0.2f};

    @Test
    void recursionEqualsEnumerationOfAllBatchSequencesWithoutReplacement() {
        RegressionStats s = RegressionStats.withPrior(X4, Y4, 2, 0.8, 3.0);
        double[][] precond = {{1.2, 0.3}, {-0.1, 0.7}}; // a non-symmetric D exercises D versus D^T
        double eta = 0.35;
        int steps = 5;
        int[][] batches = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}}; // all B = 2 subsets of n = 4
        double[][] exact = enumerate(s, precond, eta, batches, steps);
        double kappa = (4.0 - 2) / (2.0 * 3); // (n-B)/(B(n-1))
        SgdStationaryCovariance solver = SgdStationaryCovariance.forRegression(s);
        double[][] c = new double[2][2];
        for (int k = 0; k < steps; k++) {
            c = solver.step(c, eta, kappa, precond);
        }
        // both are exact finite computations of O(1) numbers: agreement to rounding, 1e-12 relative
        assertMatrixEquals(exact, c, 1e-12, "C after 5 steps, B = 2 without replacement");
    }

    @Test
    void recursionEqualsEnumerationWithReplacement() {
        RegressionStats s = RegressionStats.of(X4, Y4, 2, 1.0);
        double eta = 0.5;
        int steps = 4;
        int[][] batches = new int[16][]; // ordered pairs drawn with replacement, B = 2
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                batches[a * 4 + b] = new int[] {a, b};
            }
        }
        double[][] exact = enumerate(s, null, eta, batches, steps);
        SgdStationaryCovariance solver = SgdStationaryCovariance.forRegression(s);
        double[][] c = new double[2][2];
        for (int k = 0; k < steps; k++) {
            c = solver.step(c, eta, 0.5, null);
        }
        assertMatrixEquals(exact, c, 1e-12, "C after 4 steps, B = 2 with replacement");
    }

    /** E[e eᵀ] after {@code steps} steps from e = 0, averaging uniformly over all batch sequences. */
    private static double[][] enumerate(RegressionStats s, double[][] precond, double eta, int[][] batches,
                                        int steps) {
        double[][] d = precond == null ? Matrices.identity(2) : precond;
        double[][] g = s.perExampleGradients();
        long paths = (long) Math.pow(batches.length, steps);
        double[][] sum = new double[2][2];
        for (long code = 0; code < paths; code++) {
            double[] e = {0, 0};
            long rest = code;
            for (int k = 0; k < steps; k++) {
                int[] batch = batches[(int) (rest % batches.length)];
                rest /= batches.length;
                double[] grad = new double[2];
                for (int i : batch) {
                    double[] ae = Matrices.multiply(s.perExampleHessian(i), e);
                    grad[0] += (ae[0] + g[i][0]) / batch.length;
                    grad[1] += (ae[1] + g[i][1]) / batch.length;
                }
                double[] step = Matrices.multiply(d, grad);
                e[0] -= eta * step[0];
                e[1] -= eta * step[1];
            }
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    sum[a][b] += e[a] * e[b] / paths;
                }
            }
        }
        return sum;
    }

    @Test
    void stationarySolutionEqualsLimitOfExplicitRecursion() {
        float[][] data = TestMatrices.regressionData(new Random(31), 40, 3, 0.5);
        RegressionStats s = RegressionStats.withPrior(data[0], data[1], 3, 0.6, 5.0);
        double[][] precond = {{0.9, 0.1, 0}, {0.1, 1.3, 0.2}, {0, 0.2, 0.8}};
        double kappa = 1.0 / 3;
        double eta = 0.05;
        SgdStationaryCovariance.Result r = SgdStationaryCovariance.forRegression(s).solve(eta, kappa, precond);
        // brute force: C <- P C P^T + eta^2 kappa (E[K_i C K_i^T] + D Sigma D^T), K_i = D(A_i - H)
        double[][] h = s.hessian();
        double[][] p = Matrices.linear(1, Matrices.identity(3), -eta, Matrices.multiply(precond, h));
        double[][] noise = Matrices.congruence(precond, s.noiseCovariance());
        double[][][] k = new double[s.n()][][];
        for (int i = 0; i < s.n(); i++) {
            k[i] = Matrices.multiply(precond, Matrices.linear(1, s.perExampleHessian(i), -1, h));
        }
        double[][] c = new double[3][3];
        for (int it = 0; it < 20000; it++) {
            double[][] fluct = new double[3][3];
            for (double[][] ki : k) {
                fluct = Matrices.linear(1, fluct, 1.0 / s.n(), Matrices.congruence(ki, c));
            }
            c = Matrices.add(Matrices.congruence(p, c),
                    Matrices.linear(eta * eta * kappa, fluct, eta * eta * kappa, noise));
        }
        // geometric convergence at rate rho < 1: after 20000 iterations the remainder is rho^20000 ~ 0
        assertTrue(Math.pow(r.spectralRadius(), 20000) < 1e-14, "iteration converged: rho = " + r.spectralRadius());
        assertMatrixEquals(c, r.covariance(), 1e-10, "stationary C");
        assertEquals(0.5 * Matrices.trace(Matrices.multiply(h, r.covariance())), r.excessLoss(), 1e-15);
    }

    @Test
    void oneDimensionalConstantHessianIsTheoryO1() {
        double h = 2.0;
        double s2 = 0.7; // variance of the targets a_i; gradient noise h^2 s^2
        double kappa = 0.25;
        SgdStationaryCovariance solver = SgdStationaryCovariance.forConstantHessian(new double[][] {{h}},
                new double[][] {{h * h * s2}});
        for (double eta : new double[] {0.01, 0.3, 0.9}) {
            double v = eta * h * s2 * kappa / (2 - eta * h);
            assertEquals(v, solver.solve(eta, kappa).covariance()[0][0], 1e-14 * v);
        }
        assertEquals(1.0, solver.maxStableLearningRate(kappa, null), 1e-11);
    }

    @Test
    void oneDimensionalRandomHessianHasClosedFormStabilityLimit() {
        // scalar A_i: M = (1 - eta h)^2 + eta^2 kappa v, v = Var(a_i); M = 1 at eta = 2h/(h^2 + kappa v)
        double[] a = {0.5, 1.0, 2.5, 4.0};
        double h = 2.0;
        double v = (1.5 * 1.5 + 1 + 0.25 + 4) / 4;
        double[][][] hessians = new double[4][1][1];
        for (int i = 0; i < 4; i++) {
            hessians[i][0][0] = a[i];
        }
        SgdStationaryCovariance solver = SgdStationaryCovariance.forHessians(hessians, new double[][] {{0.3}});
        double kappa = 1.0;
        double etaMax = 2 * h / (h * h + kappa * v);
        assertEquals(etaMax, solver.maxStableLearningRate(kappa, null), 1e-11 * etaMax);
        // stationary variance: C = eta^2 kappa S / (1 - M)
        double eta = 0.5 * etaMax;
        double m = Math.pow(1 - eta * h, 2) + eta * eta * kappa * v;
        assertEquals(eta * eta * kappa * 0.3 / (1 - m), solver.solve(eta, kappa).covariance()[0][0], 1e-13);
        assertEquals(m, solver.spectralRadius(eta, kappa, null), 1e-14);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> solver.solve(1.001 * etaMax, kappa));
        assertTrue(e.getMessage().contains("eta = " + 1.001 * etaMax) && e.getMessage().contains("stable range"),
                e.getMessage());
    }

    @Test
    void maxStableLearningRateSeparatesStableFromUnstable() {
        float[][] data = TestMatrices.regressionData(new Random(41), 30, 2, 0.5);
        SgdStationaryCovariance solver = SgdStationaryCovariance.forRegression(
                RegressionStats.of(data[0], data[1], 2, 1.0));
        double[][] precond = {{2.0, 0.0}, {0.0, 0.5}};
        double etaMax = solver.maxStableLearningRate(1.0, precond);
        assertTrue(solver.spectralRadius(0.999 * etaMax, 1.0, precond) < 1);
        assertTrue(solver.spectralRadius(1.001 * etaMax, 1.0, precond) > 1);
        // noise shrinks the stable range below the deterministic limit 2/lambda_max(DH)
        double[] ev = Matrices.symmetricEigenvalues(Matrices.congruence(new double[][] {{Math.sqrt(2), 0},
                {0, Math.sqrt(0.5)}}, solver.hessian()), "D^1/2 H D^1/2");
        assertTrue(etaMax < 2 / ev[1]);
    }

    @Test
    void invalidArgumentsAreNamed() {
        SgdStationaryCovariance solver = SgdStationaryCovariance.forConstantHessian(new double[][] {{1}},
                new double[][] {{1}});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> solver.solve(Double.NaN, 1))
                .getMessage().contains("eta"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> solver.solve(0.1, 2))
                .getMessage().contains("kappa"));
        assertThrows(IllegalArgumentException.class, () -> solver.solve(0.1, 1, new double[2][2]));
    }
}
