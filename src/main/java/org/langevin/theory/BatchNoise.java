package org.langevin.theory;

/**
 * The batch factor κ of docs/theory.md (notation, §3 O1–O3): the variance of a batch-mean gradient is κ times the
 * per-example gradient variance Σ (population covariance over the n examples). Stateless and thread-safe.
 */
public final class BatchNoise {

    private BatchNoise() {
    }

    /**
     * κ = 1/B for B examples drawn independently and uniformly with replacement, B ≥ 1.
     *
     * @param batchSize B, the examples per step, ≥ 1
     * @return κ = 1/B, in (0, 1]
     * @throws IllegalArgumentException when B is below 1
     */
    public static double kappaWithReplacement(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size B must be >= 1, got " + batchSize);
        }
        return 1.0 / batchSize;
    }

    /**
     * κ = (n − B)/(B(n − 1)) for B distinct examples drawn uniformly without replacement (finite-population
     * correction; 0 for the full batch B = n), 1 ≤ B ≤ n, n ≥ 2.
     *
     * @param n the number of training examples, ≥ 2
     * @param batchSize B, the distinct examples per step, 1 … n
     * @return κ = (n − B)/(B(n − 1)), in [0, 1] (1 for B = 1, as with replacement)
     * @throws IllegalArgumentException when n is below 2 or B is outside [1, n]
     */
    public static double kappaWithoutReplacement(int n, int batchSize) {
        if (n < 2) {
            throw new IllegalArgumentException("training-set size n must be >= 2 for sampling without replacement, got "
                    + n);
        }
        if (batchSize < 1 || batchSize > n) {
            throw new IllegalArgumentException("batch size B must be in [1, n = " + n + "], got " + batchSize);
        }
        return (double) (n - batchSize) / ((double) batchSize * (n - 1));
    }
}
