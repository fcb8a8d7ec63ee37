package org.langevin.theory;

import org.junit.jupiter.api.Test;
import org.langevin.linalg.SgdStationaryCovariance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/theory.md O1 against exact enumeration of all example sequences and against the O2 solver in one dimension. */
class QuadraticSgd1DTest {

    private static final double[] A = {-1.0, 0.0, 2.0, 0.5};
    private static final double H = 1.5;

    private static QuadraticSgd1D problem() {
        double mean = 0;
        for (double a : A) {
            mean += a / A.length;
        }
        double var = 0;
        for (double a : A) {
            var += (a - mean) * (a - mean) / A.length;
        }
        return new QuadraticSgd1D(H, mean, var);
    }

    @Test
    void transientMomentsEqualEnumerationOfAllPaths() {
        QuadraticSgd1D p = problem();
        double eta = 0.4;
        double phi0 = 3.0;
        int steps = 7; // 4^7 = 16384 equally likely paths, one example per step (kappa = 1)
        int paths = 1 << (2 * steps);
        double m1 = 0;
        double m2 = 0;
        for (int code = 0; code < paths; code++) {
            double phi = phi0;
            int rest = code;
            for (int k = 0; k < steps; k++) {
                phi -= eta * H * (phi - A[rest & 3]);
                rest >>= 2;
            }
            m1 += phi / paths;
            m2 += phi * phi / paths;
        }
        assertEquals(m1, p.transientMean(phi0, eta, steps), 1e-13);
        assertEquals(m2 - m1 * m1, p.transientVariance(eta, 1.0, steps), 1e-13);
    }

    @Test
    void stationaryLawAgreesWithO2SolverAndExcessLossIsHalfHV() {
        QuadraticSgd1D p = problem();
        SgdStationaryCovariance o2 = SgdStationaryCovariance.forConstantHessian(new double[][] {{H}},
                new double[][] {{H * H * p.targetVariance()}});
        for (double eta : new double[] {0.05, 0.5, 1.2}) {
            for (double kappa : new double[] {1.0, BatchNoise.kappaWithoutReplacement(4, 2)}) {
                double v = p.stationaryVariance(eta, kappa);
                SgdStationaryCovariance.Result r = o2.solve(eta, kappa);
                assertEquals(v, r.covariance()[0][0], 1e-14 * v);
                assertEquals(r.excessLoss(), p.stationaryExcessLoss(eta, kappa), 1e-14 * v);
                assertEquals(eta * H * H * p.targetVariance() * kappa / (2 * (2 - eta * H)),
                        p.stationaryExcessLoss(eta, kappa), 1e-14 * v);
            }
        }
        // transient tends to the stationary value
        assertEquals(p.stationaryVariance(0.5, 1), p.transientVariance(0.5, 1, 10_000), 1e-15);
    }

    @Test
    void unitStepMakesPhiUniformOnTargets() {
        // eta h = 1: Phi_N = a_{i_N} whatever came before, so Var = s^2 exactly (O1's exact non-Gaussian law)
        QuadraticSgd1D p = problem();
        assertEquals(p.targetVariance(), p.stationaryVariance(1 / H, 1), 1e-15);
    }

    @Test
    void unstableRateThrowsNamingEta() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> problem().stationaryVariance(2.0, 1));
        assertTrue(e.getMessage().contains("eta = 2.0"), e.getMessage());
    }
}
