package org.langevin.theory;

import org.junit.jupiter.api.Test;
import org.langevin.linalg.Matrices;
import org.langevin.linalg.RegressionStats;
import org.langevin.linalg.SgdStationaryCovariance;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/theory.md O3 on a linear regression: the O2 solver's exact excess loss ½tr(HC) against (η/4)E‖ĝ‖² computed
 * from C by the explicit per-example sum, at several η and batch factors; and the η → 0 slope ¼tr Σ.
 */
class LossSlopeTest {

    private static RegressionStats stats() {
        Random rng = new Random(51);
        int n = 60;
        int d = 3;
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) rng.nextGaussian();
            }
            y[i] = (float) (x[i * d] - 0.5 * x[i * d + 2] + 0.8 * rng.nextGaussian());
        }
        return RegressionStats.withPrior(x, y, d, 1.0, 4.0);
    }

    @Test
    void excessLossIsEtaOverFourTimesMeanSquaredStepGradient() {
        RegressionStats s = stats();
        SgdStationaryCovariance o2 = SgdStationaryCovariance.forRegression(s);
        double etaMax = o2.maxStableLearningRate(1.0, null);
        for (double kappa : new double[] {1.0, 0.25}) {
            for (double f : new double[] {0.01, 0.3, 0.9}) {
                double eta = f * etaMax;
                SgdStationaryCovariance.Result r = o2.solve(eta, kappa);
                double[][] c = r.covariance();
                double[][] h = s.hessian();
                double trHCH = Matrices.trace(Matrices.multiply(Matrices.multiply(h, c), h));
                double g2 = LossSlope.meanSquaredBatchGradient(trHCH, s.meanSquaredGradientNorm(c), kappa);
                // both sides are exact; the d^2 x d^2 solve loses ~cond * 1e-16 <= 1e-11 near the stability edge
                assertEquals(r.excessLoss(), LossSlope.excessLoss(eta, g2), 1e-9 * r.excessLoss(),
                        "eta = " + eta + ", kappa = " + kappa);
            }
        }
    }

    @Test
    void slopeAtZeroIsQuarterTraceSigma() {
        RegressionStats s = stats();
        SgdStationaryCovariance o2 = SgdStationaryCovariance.forRegression(s);
        double slope = LossSlope.slopeAtZero(s.meanSquaredGradientNorm(), 0.5);
        assertEquals(0.125 * Matrices.trace(s.noiseCovariance()), slope, 1e-15);
        // excess(eta)/eta = slope + O(eta): at eta = 1e-5 the relative deviation is ~ eta * |H| ~ 1e-5
        double eta = 1e-5;
        assertEquals(slope, o2.solve(eta, 0.5).excessLoss() / eta, 1e-4 * slope);
    }

    @Test
    void fluctuationDissipationIsTwiceTheExcessLossFormula() {
        // for a quadratic loss E[(Phi - Phi*) . grad L] = E[e^T H e] = tr(HC) = 2 * excess = (eta/2) E|g|^2
        assertEquals(2 * LossSlope.excessLoss(0.3, 1.7), LossSlope.fluctuationDissipation(0.3, 1.7), 1e-16);
    }
}
