package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

class SmallMatricesTest {
    /** Residuals of the solved linear systems (d ≤ 3, well conditioned). */
    private static final double RESIDUAL = 1e-12;

    @Test
    void discreteLyapunovSatisfiesItsEquation() {
        double[][] m = {{0.9, 0.1, 0}, {-0.05, 0.8, 0.02}, {0, 0.03, 0.7}};
        double[][] q = {{1, 0.2, 0}, {0.2, 2, 0.1}, {0, 0.1, 0.5}};
        double[][] c = SmallMatrices.discreteLyapunov(m, q);
        double[][] back = SmallMatrices.plus(SmallMatrices.multiply(SmallMatrices.multiply(m, c), SmallMatrices.transpose(m)),
                1, q);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(c[i], back[i], RESIDUAL);
        }
    }

    @Test
    void oneDimensionalEulerMaruyamaVarianceIsTheO4Formula() {
        // x' = (1 − θΔt)x + s√Δt ε: stationary variance s²/(θ(2 − θΔt)) (THEORY.md O4)
        double theta = 2;
        double dt = 0.1;
        double s2 = 0.7;
        double[][] c = SmallMatrices.discreteLyapunov(new double[][] {{1 - theta * dt}}, new double[][] {{s2 * dt}});
        assertEquals(s2 / (theta * (2 - theta * dt)), c[0][0], RESIDUAL);
        double[][] c0 = SmallMatrices.continuousLyapunov(new double[][] {{theta}}, new double[][] {{s2}});
        assertEquals(s2 / (2 * theta), c0[0][0], RESIDUAL);
    }

    @Test
    void jacobiEigenvaluesOfAKnownMatrix() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3
        assertArrayEquals(new double[] {1, 3}, SmallMatrices.symmetricEigenvalues(new double[][] {{2, 1}, {1, 2}}),
                RESIDUAL);
    }

    @Test
    void sgdCovarianceSatisfiesO2AndAgreesWithO1InOneDimension() {
        // 1-D linear regression with x_i = 1: A_i = 1 = H, the O2 fluctuation term vanishes and
        // C = η²κΣ/(1 − (1−η)²) = ηκΣ/(2 − η), the O1 variance.
        double[][] x = {{1}, {1}, {1}};
        double[][] c = SmallMatrices.sgdStationaryCovariance(x, 1.0, new double[][] {{0.3}}, 0.2, 0.5);
        assertEquals(0.2 * 0.5 * 0.3 / (2 - 0.2), c[0][0], RESIDUAL);

        TrainingSet t = TrainingSets.synthetic(40, 3, 0.5, 3, false);
        LinregOracle o = new LinregOracle(t, 1.0);
        double eta = 0.05;
        double kappa = 1.0;
        double[][] cov = o.sgdCovariance(eta, kappa);
        // residual of C = (I−ηH)C(I−ηH) + η²κE[(A_i−H)C(A_i−H)] + η²κΣ, summed directly over examples
        double[][] h = o.hessian();
        double[][] m = SmallMatrices.plus(SmallMatrices.identity(3), -eta, h);
        double[][] rhs = SmallMatrices.multiply(SmallMatrices.multiply(m, cov), m);
        for (int i = 0; i < t.n(); i++) {
            double[][] a = new double[3][3];
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    a[j][k] = (double) t.x(i, j) * t.x(i, k) - h[j][k];
                }
            }
            rhs = SmallMatrices.plus(rhs, eta * eta * kappa / t.n(), SmallMatrices.multiply(SmallMatrices.multiply(a, cov), a));
        }
        rhs = SmallMatrices.plus(rhs, eta * eta * kappa, o.geometry.noise());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(cov[i], rhs[i], 1e-12);
        }
        // O3 on the exact covariance: ½tr(HC) = (η/4)(E tr(A_i C A_i) + tr Σ), checked through the trace identity
        double excess = o.excessLoss(eta, kappa);
        assertEquals(excess, 0.5 * SmallMatrices.trace(SmallMatrices.multiply(h, cov)), 1e-15);
    }

    @Test
    void unstableLearningRateIsRejected() {
        double[][] x = {{1}, {1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmallMatrices.sgdStationaryCovariance(x, 1.0, new double[][] {{1}}, 2.5, 1.0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("learning rate 2.5"));
    }
}
