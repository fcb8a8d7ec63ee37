package org.langevin.linalg;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langevin.linalg.TestMatrices.assertMatrixEquals;

/** Tests of {@link LogisticStats}: closed forms in one dimension, finite differences, and failure modes. */
class LogisticStatsTest {

    @Test
    void oneDimensionalConstantInputHasLogOddsMinimiser() {
        // k = 5 labels +1 and m = 2 labels -1 at x = 1: sigma(Phi*) = k/(k+m), Phi* = ln(k/m).
        float[] x = {1, 1, 1, 1, 1, 1, 1};
        float[] y = {1, 1, -1, 1, 1, -1, 1};
        LogisticStats s = LogisticStats.of(x, y, 1);
        double p = 5.0 / 7.0;
        assertEquals(Math.log(2.5), s.phiStar()[0], 1e-13);
        // H = p(1-p); the per-example gradients take -(1-p) with probability p and p with probability 1-p,
        // so Sigma = p(1-p)^2 + (1-p)p^2 = p(1-p) as well.
        assertEquals(p * (1 - p), s.hessian()[0][0], 1e-14);
        assertEquals(p * (1 - p), s.noiseCovariance()[0][0], 1e-14);
        assertEquals(p * (1 - p), s.meanSquaredGradientNorm(), 1e-14);
    }

    @Test
    void gradientVanishesAndHessianMatchesFiniteDifferences() {
        Random rng = new Random(21);
        int n = 300;
        int d = 3;
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) rng.nextGaussian();
                z += x[i * d + k] * (k - 1.0);
            }
            y[i] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1f : -1f;
        }
        LogisticStats s = LogisticStats.withPrior(x, y, d, 4.0);
        double[] phi = s.phiStar();
        for (double g : s.gradientAt(phi)) {
            assertEquals(0.0, g, 1e-14, "gradient at Phi*");
        }
        // central differences of the gradient: truncation O(h^2 * third derivative) ~ 1e-10 at h = 1e-5,
        // rounding ~1e-16/h ~ 1e-11; tolerance 1e-8.
        double h = 1e-5;
        double[][] fd = new double[d][d];
        for (int k = 0; k < d; k++) {
            double[] up = phi.clone();
            double[] down = phi.clone();
            up[k] += h;
            down[k] -= h;
            double[] gu = s.gradientAt(up);
            double[] gd = s.gradientAt(down);
            for (int a = 0; a < d; a++) {
                fd[a][k] = (gu[a] - gd[a]) / (2 * h);
            }
        }
        assertMatrixEquals(fd, s.hessian(), 1e-8, "Hessian");
        assertTrue(s.iterations() < 20, "Newton converges quadratically: " + s.iterations());
        double[][] l = s.noiseCholesky();
        assertMatrixEquals(s.noiseCovariance(), Matrices.multiply(l, Matrices.transpose(l)), 1e-12, "S S^T");
    }

    @Test
    void separableDataWithoutPriorThrowsSuggestingPrior() {
        float[] x = {-2, -1, 1, 2};
        float[] y = {-1, -1, 1, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogisticStats.of(x, y, 1));
        assertTrue(e.getMessage().contains("--prior-variance"), e.getMessage());
        LogisticStats ok = LogisticStats.withPrior(x, y, 1, 1.0);
        assertTrue(ok.phiStar()[0] > 0);
        assertEquals(0.0, ok.gradientAt(ok.phiStar())[0], 1e-15);
    }

    @Test
    void labelsMustBePlusOrMinusOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogisticStats.of(new float[] {1, 2}, new float[] {1, 0}, 1));
        assertTrue(e.getMessage().contains("y[1]"), e.getMessage());
    }
}
