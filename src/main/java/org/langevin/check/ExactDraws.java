package org.langevin.check;

import java.util.SplittableRandom;
import org.langevin.linalg.Matrices;

/**
 * Exact draws from the oracles' laws for {@link Check#runOnExactDraws}: Gaussian vectors with a given mean
 * and covariance, from a seeded {@link SplittableRandom}. Not thread-safe (one generator per instance).
 */
final class ExactDraws {
    /** The generator. */
    private final SplittableRandom rnd;

    ExactDraws(long seed) {
        rnd = new SplittableRandom(seed);
    }

    /** @return a standard normal number */
    double normal() {
        return rnd.nextGaussian();
    }

    /** @return a uniform number in [0, 1) */
    double uniform() {
        return rnd.nextDouble();
    }

    /** @return a uniform index in [0, n) */
    int index(int n) {
        return rnd.nextInt(n);
    }

    /** @return P draws of N(mean, cov) as {@code x[j][p]} */
    double[][] gaussian(int particles, double[] mean, double[][] cov) {
        int d = mean.length;
        double[][] l = Matrices.cholesky(cov, "covariance");
        double[][] x = new double[d][particles];
        double[] z = new double[d];
        for (int p = 0; p < particles; p++) {
            for (int j = 0; j < d; j++) {
                z[j] = normal();
            }
            for (int i = 0; i < d; i++) {
                double s = mean[i];
                for (int j = 0; j <= i; j++) {
                    s += l[i][j] * z[j];
                }
                x[i][p] = s;
            }
        }
        return x;
    }
}
