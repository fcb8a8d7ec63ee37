package org.langevin.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/** The host geometry the kernels receive: H, b, Σ(Φ*), its factor, the preconditioners, the stable ranges. */
class NoiseGeometryTest {
    /** Tolerance of double-precision linear algebra on well-conditioned small problems. */
    static final double TOL = 1e-10;

    @Test
    void linearRegressionGeometrySplitsThePriorFromTheData() {
        TrainingSet t = TrainingSets.synthetic(200, 3, 0.7, 5, false);
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.SGD_SDE).loss(LossKind.LINREG).dim(3).data(t)
                .noiseVariance(0.49).priorVariance(2.0).lr(0.01).build();
        NoiseGeometry g = NoiseGeometry.of(s);
        double prior = 1.0 / (200 * 2.0);
        double[][] h = g.hessian();
        double[][] hd = g.dataHessian();
        double[] b = g.dataVector();
        double[] phi = g.minimiser();
        for (int j = 0; j < 3; j++) {
            assertEquals(h[j][j] - prior, hd[j][j], TOL);
            double r = 0;
            for (int k = 0; k < 3; k++) {
                r += h[j][k] * phi[k];
            }
            assertEquals(b[j], r, TOL, "H Φ* = b");
        }
        double[][] sigma = g.noise();
        double[][] f = g.noiseCholesky();
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++) {
                double v = 0;
                for (int m = 0; m < 3; m++) {
                    v += f[j][m] * f[k][m];
                }
                assertEquals(sigma[j][k], v, TOL * Math.max(1, Math.abs(v)));
            }
        }
    }

    @Test
    void semiDefiniteCholeskyGivesZeroColumnsForSingularCovariance() {
        double[][] s = Cholesky.lowerSemiDefinite(new double[][] {{4, 2}, {2, 1}});
        assertEquals(2, s[0][0], 0);
        assertEquals(1, s[1][0], 0);
        assertEquals(0, s[1][1], 0);
        assertThrows(IllegalArgumentException.class, () -> Cholesky.lowerSemiDefinite(new double[][] {{1, 2}, {2, 1}}));
    }

    @Test
    void separableLogisticDataWithoutPriorIsRejected() {
        float[] x = {-2, -1, 1, 2};
        float[] y = {-1, -1, 1, 1};
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.LOGISTIC).dim(1)
                .data(new TrainingSet(4, 1, x, y)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseGeometry.of(s));
        assertTrue(e.getMessage().contains("--prior-variance"), e.getMessage());
    }

    @Test
    void sgdStableRangeMatchesTheOneDimensionalTheory() {
        // 1-D linreg with x_i = 1: h = 1/s² = 2, A_i = H, so the O2 operator is (1 − ηh)²: stable iff η < 1.
        float[] x = new float[20];
        float[] y = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = 1;
            y[i] = i % 2 == 0 ? 1 : -1;
        }
        TrainingSet t = new TrainingSet(20, 1, x, y);
        RunSpec ok = new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(1).data(t)
                .noiseVariance(0.5).lr(0.99).build();
        NoiseGeometry.of(ok).checkStable(ok);
        RunSpec bad = ok.toBuilder().lr(1.01).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseGeometry.of(bad).checkStable(bad));
        assertTrue(e.getMessage().contains("--lr 1.01"), e.getMessage());
    }

    @Test
    void rmspropAndInverseNoisePreconditioners() {
        TrainingSet t = TrainingSets.synthetic(100, 2, 0.5, 3, false);
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(2).data(t)
                .preconditioner(PreconditionerKind.RMSPROP, null).lr(0.01).build();
        NoiseGeometry g = NoiseGeometry.of(s);
        double[][] sigma = g.noise();
        double[][] r = g.rmsprop();
        assertEquals(1 / Math.sqrt(sigma[0][0]), r[0][0], TOL);
        assertEquals(0, r[0][1], 0);
        double[][] inv = g.inverseNoise();
        assertEquals(1, inv[0][0] * sigma[0][0] + inv[0][1] * sigma[1][0], 1e-9);
        assertEquals(0, inv[0][0] * sigma[0][1] + inv[0][1] * sigma[1][1], 1e-9);
    }

    @Test
    void eulerStepBeyondTheStableRangeIsRejected() {
        RunSpec s = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(2)
                .quadratic(new double[][] {{4, 0}, {0, 1}}, null).dt(0.6).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseGeometry.of(s).checkStable(s));
        assertTrue(e.getMessage().contains("--dt 0.6") && e.getMessage().contains("0.500000"), e.getMessage());
    }
}
