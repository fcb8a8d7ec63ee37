package org.langevin.theory;

import org.junit.jupiter.api.Test;
import org.langevin.linalg.Lyapunov;
import org.langevin.linalg.Matrices;
import org.langevin.linalg.RegressionStats;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.langevin.linalg.TestMatrices.assertMatrixEquals;
import static org.langevin.linalg.TestMatrices.assertVectorEquals;

/**
 * docs/theory.md O5: the posterior against {@link RegressionStats} (m_N = Φ*, S_N⁻¹ = nH), and the Langevin-EM
 * covariance against docs/theory.md O4's EM Lyapunov equation with A = H, G = σ²I, and against a direct iteration of the
 * EM covariance recursion C ← (I − ΔtH)C(I − ΔtH) + Δtσ²I.
 */
class BayesianLinearRegressionTest {

    private static final int N = 50;
    private static final int D = 3;
    private static final float[][] DATA = org.langevin.linalg.TestMatrices.regressionData(new Random(61), N, D, 0.5);

    private final BayesianLinearRegression blr = new BayesianLinearRegression(DATA[0], DATA[1], D, 0.3, 2.0);
    private final RegressionStats stats = RegressionStats.withPrior(DATA[0], DATA[1], D, 0.3, 2.0);

    @Test
    void posteriorMatchesRegressionStats() {
        assertVectorEquals(stats.phiStar(), blr.posteriorMean(), 1e-11, "m_N = Phi*");
        double[][] nh = Matrices.linear(N, stats.hessian(), 0, stats.hessian());
        assertMatrixEquals(Matrices.inverse(nh, "nH"), blr.posteriorCovariance(), 1e-11, "S_N = (nH)^-1");
    }

    @Test
    void langevinCovarianceSolvesEulerMaruyamaEquation() {
        double[][] h = stats.hessian();
        double lmax = Matrices.symmetricEigenvalues(h, "H")[D - 1];
        for (double f : new double[] {0.01, 0.5, 1.5}) {
            double dt = f / lmax;
            double sigma2 = 2.0 / N;
            double[][] c = blr.langevinCovariance(dt);
            double[][] lyap = Lyapunov.eulerMaruyamaStationary(h,
                    Matrices.linear(sigma2, Matrices.identity(D), 0, h), dt);
            assertMatrixEquals(lyap, c, 1e-10, "O4 vs O5 at dt = " + dt);
            // direct iteration; spectral radius of I - dt H is at most max(1 - dt lmin, |1 - f|) < 1
            double[][] p = Matrices.linear(1, Matrices.identity(D), -dt, h);
            double[][] it = new double[D][D];
            double[][] noise = Matrices.linear(dt * sigma2, Matrices.identity(D), 0, h);
            double lmin = Matrices.symmetricEigenvalues(h, "H")[0];
            double rho = Math.max(Math.abs(1 - dt * lmin), Math.abs(1 - f));
            int steps = (int) Math.ceil(Math.log(1e-17) / Math.log(rho * rho));
            for (int k = 0; k < steps; k++) {
                it = Matrices.add(Matrices.congruence(p, it), noise);
            }
            assertMatrixEquals(it, c, 1e-10, "iteration vs O5 at dt = " + dt);
        }
    }

    @Test
    void notesTemperatureGivesAQuarterOfTheCovariance() {
        double dt = 0.01;
        double[][] right = blr.langevinCovariance(dt);
        double[][] notes = blr.langevinCovariance(1.0 / (2 * N), dt);
        assertMatrixEquals(Matrices.linear(0.25, right, 0, right), notes, 1e-14, "sigma^2 = 1/(2n)");
    }

    @Test
    void unstableStepThrows() {
        assertThrows(IllegalArgumentException.class, () -> blr.langevinCovariance(1e6));
    }
}
