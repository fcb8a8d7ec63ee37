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

/** Φ*, H and Σ(Φ*) against direct computations; the stable-range checks. */
class NoiseGeometryTest {
    /** Tolerance of double-precision linear algebra on well-conditioned 3×3 problems. */
    static final double TOL = 1e-10;

    @Test
    void linearRegressionMinimiserGradientVanishesAndSigmaIsTheGradientCovariance() {
        TrainingSet t = TrainingSets.synthetic(200, 3, 0.7, 5, false);
        double s2 = 0.49;
        double prior = 0.01;
        RegressionGeometry g = RegressionGeometry.linear(t, s2, prior);
        double[] phi = g.minimiser();
        double[] grad = new double[3];
        double[][] grads = new double[t.n()][3];
        for (int i = 0; i < t.n(); i++) {
            double r = -t.y(i);
            for (int k = 0; k < 3; k++) {
                r += t.x(i, k) * phi[k];
            }
            for (int j = 0; j < 3; j++) {
                grads[i][j] = t.x(i, j) * r / s2;
                grad[j] += grads[i][j] / t.n();
            }
        }
        for (int j = 0; j < 3; j++) {
            assertEquals(0, grad[j] + prior * phi[j], TOL);
        }
        double[][] sigma = g.noise();
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++) {
                double c = 0;
                for (int i = 0; i < t.n(); i++) {
                    c += (grads[i][j] - grad[j]) * (grads[i][k] - grad[k]) / t.n();
                }
                assertEquals(c, sigma[j][k], TOL * Math.max(1, Math.abs(c)));
            }
        }
        double[][] s = Cholesky.lowerSemiDefinite(sigma);
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 3; k++) {
                double v = 0;
                for (int m = 0; m < 3; m++) {
                    v += s[j][m] * s[k][m];
                }
                assertEquals(sigma[j][k], v, TOL * Math.max(1, Math.abs(v)));
            }
        }
    }

    @Test
    void logisticMinimiserGradientVanishes() {
        TrainingSet t = TrainingSets.synthetic(300, 2, 1.0, 8, true).withSignLabels();
        RegressionGeometry g = RegressionGeometry.logistic(t, 0.0);
        double[] phi = g.minimiser();
        double[] grad = new double[2];
        for (int i = 0; i < t.n(); i++) {
            double z = t.x(i, 0) * phi[0] + t.x(i, 1) * phi[1];
            double sNeg = 1 / (1 + Math.exp(t.y(i) * z));
            for (int j = 0; j < 2; j++) {
                grad[j] += -t.y(i) * sNeg * t.x(i, j) / t.n();
            }
        }
        assertEquals(0, grad[0], 1e-10);
        assertEquals(0, grad[1], 1e-10);
    }

    @Test
    void separableLogisticDataWithoutPriorIsRejected() {
        float[] x = {-2, -1, 1, 2};
        float[] y = {-1, -1, 1, 1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegressionGeometry.logistic(new TrainingSet(4, 1, x, y), 0.0));
        assertTrue(e.getMessage().contains("--prior-variance"), e.getMessage());
    }

    @Test
    void sgdStableRangeMatchesTheOneDimensionalTheory() {
        // 1-D linreg with x_i = 1: h = 1/s², mean stability η < 2/h; with B = 1 and the additive
        // noise only, O2's operator is (1 − ηh)² (A_i = H), so mean-square stability is the same bound.
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
        assertEquals(Math.pow(1 - 0.99 * 2, 2), SgdCovarianceOperator.spectralRadius(ok, NoiseGeometry.of(ok), 0.99), 1e-12);
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
    void eulerMaruyamaLyapunovInOneDimensionIsTheOuFormula() {
        double theta = 1.7;
        double dt = 0.2;
        double s2 = 0.3;
        double[][] c = Lyapunov.eulerMaruyama(new double[][] {{theta}}, new double[][] {{s2}}, dt);
        assertEquals(s2 / (theta * (2 - theta * dt)), c[0][0], 1e-14);
    }
}
