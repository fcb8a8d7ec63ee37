package org.langevin.theory;

import org.junit.jupiter.api.Test;
import org.langevin.linalg.Matrices;
import org.langevin.linalg.SgdStationaryCovariance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/theory.md §2's preconditioned per-coordinate variance against the O2 solver on a diagonal problem. */
class SeparableSgdVarianceTest {

    private static final double[] H = {1.0, 3.0};
    private static final double[] S2 = {0.5, 2.0};

    @Test
    void agreesWithO2SolverForThreePreconditioners() {
        SgdStationaryCovariance o2 = SgdStationaryCovariance.forConstantHessian(Matrices.diagonal(H),
                Matrices.diagonal(S2));
        double[][] precs = {{1, 1}, {1 / S2[0], 1 / S2[1]}, {1 / Math.sqrt(S2[0]), 1 / Math.sqrt(S2[1])}};
        for (double[] dk : precs) {
            for (double eta : new double[] {0.01, 0.2}) {
                double[][] c = o2.solve(eta, 1.0, Matrices.diagonal(dk)).covariance();
                for (int k = 0; k < 2; k++) {
                    double v = SeparableSgdVariance.variance(eta, H[k], S2[k], dk[k]);
                    assertEquals(v, c[k][k], 1e-13 * v, "coordinate " + k);
                }
                assertEquals(0.0, c[0][1], 1e-15 * c[0][0]);
            }
        }
        // docs/theory.md's D = Sigma^-1 formula
        for (int k = 0; k < 2; k++) {
            double eta = 0.2;
            assertEquals(eta / (H[k] * (2 - eta * H[k] / S2[k])),
                    SeparableSgdVariance.naturalPreconditionedVariance(eta, H[k], S2[k]), 1e-15);
        }
    }

    @Test
    void temperaturesAreSmallStepLimits() {
        double eta = 1e-7;
        for (int k = 0; k < 2; k++) {
            for (double dk : new double[] {1, 1 / S2[k], 1 / Math.sqrt(S2[k])}) {
                double t = SeparableSgdVariance.temperature(eta, S2[k], dk);
                // V h = T / (1 - eta d h / 2): relative deviation eta d h / 2 < 1e-6
                assertEquals(t, SeparableSgdVariance.variance(eta, H[k], S2[k], dk) * H[k], 1e-6 * t);
            }
        }
        // D = Sigma^-1 gives one temperature eta/2 for both coordinates
        assertEquals(SeparableSgdVariance.temperature(0.1, S2[0], 1 / S2[0]),
                SeparableSgdVariance.temperature(0.1, S2[1], 1 / S2[1]), 1e-16);
    }
}
