package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The standard errors are checked by simulation: over R independent replicates with known truth,
 * the z-scores (estimate − truth)/SE must have mean ≈ 0 and mean square ≈ 1.
 *
 * <p>With R = 1000 the sample mean of z has sd 1/√R = 0.032 and the mean of z² has sd ≈ √(2/R) =
 * 0.045; the test allows 4 sd, a false-alarm rate of about 6e-5 per comparison, below 1e-3 for the
 * 14 comparisons together. A standard error off by 15% moves the mean of z² by 0.3 (about 7 sd), so
 * the test has power. Studentisation by an estimated SE inflates E z² by the squared relative error
 * of the SE², O(10/P) ≈ 0.005 for the fourth-moment based ones at P = 2000, well inside the
 * tolerance (at P = 500 it reaches 0.06 and made the check marginal). The seed is fixed.
 */
class StdErrCalibrationTest {

    private static final int R = 1000;
    private static final int P = 2000;
    private static final int W = 4;
    /** Truth: x0 ~ N(1, 1); x1 = −2 + 0.6 g0 + 0.8 g1 ~ N(−2, 1), Cov(x0, x1) = 0.6. */
    private static final double MU0 = 1;
    private static final double MU1 = -2;
    private static final double COV = 0.6;

    @Test
    void zScoresOfIndependentReplicatesHaveUnitVariance() {
        SplittableRandom r = new SplittableRandom(20240611L);
        String[] names = {"mean x0", "variance x0", "cov x0 x1", "variance x1", "window mean x1",
                "window pooled variance x1", "window variance of the averages x1", "window loss"};
        double[] sumZ = new double[names.length];
        double[] sumZ2 = new double[names.length];
        for (int rep = 0; rep < R; rep++) {
            float[][] x = new float[2][P];
            double[][] s = new double[5][P];
            for (int i = 0; i < P; i++) {
                double g0 = MomentsTest.gaussian(r);
                double g1 = MomentsTest.gaussian(r);
                x[0][i] = (float) (MU0 + g0);
                x[1][i] = (float) (MU1 + COV * g0 + 0.8 * g1);
                // window of W independent draws of the stationary law of each coordinate
                for (int k = 0; k < W; k++) {
                    double a = MU0 + MomentsTest.gaussian(r);
                    double b = MU1 + MomentsTest.gaussian(r);
                    s[0][i] += a;
                    s[1][i] += b;
                    s[2][i] += a * a;
                    s[3][i] += b * b;
                    s[4][i] += a * a; // loss = x0², mean 1 + MU0² = 2
                }
            }
            Reduction fin = Reducer.reduce(ParticleView.of(x), ReduceSpec.defaults(), 1);
            Reduction win = Reducer.reduce(ParticleView.withWindow(x, s, W), ReduceSpec.defaults(), 1);
            double[] z = {
                (fin.coordinate(0).mean() - MU0) / fin.coordinate(0).meanStdErr(),
                (fin.coordinate(0).variance() - 1) / fin.coordinate(0).varianceStdErr(),
                (fin.covariance()[0][1] - COV) / fin.covarianceStdErr()[0][1],
                (fin.coordinate(1).variance() - 1) / fin.coordinate(1).varianceStdErr(),
                (win.coordinate(1).mean() - MU1) / win.coordinate(1).meanStdErr(),
                (win.coordinate(1).pooledVariance() - 1) / win.coordinate(1).pooledVarianceStdErr(),
                // the average of W independent unit-variance draws has variance 1/W
                (win.coordinate(1).variance() - 1.0 / W) / win.coordinate(1).varianceStdErr(),
                (win.loss().mean() - 2) / win.loss().stdErr(),
            };
            for (int k = 0; k < z.length; k++) {
                sumZ[k] += z[k];
                sumZ2[k] += z[k] * z[k];
            }
        }
        for (int k = 0; k < names.length; k++) {
            assertEquals(0, sumZ[k] / R, 4 / Math.sqrt(R), "mean z of " + names[k]);
            assertEquals(1, sumZ2[k] / R, 4 * Math.sqrt(2.0 / R), "mean z² of " + names[k]);
        }
    }
}
