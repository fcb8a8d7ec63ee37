package org.langevin.linalg;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.langevin.linalg.TestMatrices.assertMatrixEquals;

/** Tests of the Lyapunov solvers against explicit iteration and residuals (docs/theory.md O4). */
class LyapunovTest {

    /** A non-symmetric drift with eigenvalues of positive real part. */
    private static final double[][] A = {{1.0, 0.4, 0.0}, {-0.3, 0.8, 0.2}, {0.1, 0.0, 1.5}};

    private static double[][] diffusion() {
        double[][] b = {{1.0, 0.0, 0.0}, {0.5, 0.7, 0.0}, {-0.2, 0.1, 0.4}};
        return Matrices.multiply(b, Matrices.transpose(b));
    }

    @Test
    void eulerMaruyamaStationaryEqualsLimitOfExplicitIteration() {
        double dt = 0.2;
        double[][] g = diffusion();
        double[][] c = Lyapunov.eulerMaruyamaStationary(A, g, dt);
        double[][] p = Matrices.linear(1, Matrices.identity(3), -dt, A);
        double[][] it = new double[3][3];
        for (int k = 0; k < 5000; k++) { // rho(I - dt A) < 0.9, so 0.9^10000 ~ 0 remains
            it = Matrices.add(Matrices.congruence(p, it), Matrices.linear(dt, g, 0, g));
        }
        assertMatrixEquals(it, c, 1e-12, "EM stationary covariance");
        // and it satisfies the O4 form A C + C A^T - dt A C A^T = G
        double[][] ac = Matrices.multiply(A, c);
        double[][] lhs = Matrices.add(ac, Matrices.transpose(ac));
        lhs = Matrices.linear(1, lhs, -dt, Matrices.congruence(A, c));
        assertMatrixEquals(g, lhs, 1e-12, "O4 residual");
    }

    @Test
    void continuousSolutionHasZeroResidualAndIsTheSmallStepLimit() {
        double[][] g = diffusion();
        double[][] c = Lyapunov.continuous(A, g);
        double[][] ac = Matrices.multiply(A, c);
        assertMatrixEquals(g, Matrices.add(ac, Matrices.transpose(ac)), 1e-12, "A C + C A^T = G");
        // EM bias is O(dt): halving dt halves the difference (ratio 2 within 1%)
        double[][] d1 = Matrices.linear(1, Lyapunov.eulerMaruyamaStationary(A, g, 1e-3), -1, c);
        double[][] d2 = Matrices.linear(1, Lyapunov.eulerMaruyamaStationary(A, g, 5e-4), -1, c);
        double ratio = Matrices.maxAbs(d1) / Matrices.maxAbs(d2);
        assertTrue(Math.abs(ratio - 2) < 0.02, "first-order bias, ratio " + ratio);
    }

    @Test
    void discreteSteinEquation() {
        double[][] r = TestMatrices.randomMatrix(new Random(7), 3, 3);
        double[][] p = Matrices.linear(0.8 / Matrices.spectralRadius(r, "R"), r, 0, r); // spectral radius 0.8
        double[][] q = diffusion();
        double[][] c = Lyapunov.discrete(p, q);
        assertMatrixEquals(c, Matrices.add(Matrices.congruence(p, c), q), 1e-12, "C = P C P^T + Q");
    }

    @Test
    void unstableStepThrowsNamingDt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lyapunov.eulerMaruyamaStationary(A, diffusion(), 2.0));
        assertTrue(e.getMessage().contains("dt = 2.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Lyapunov.continuous(Matrices.linear(-1, A, 0, A), diffusion()));
    }
}
