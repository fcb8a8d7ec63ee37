package org.langevin.reduce;

import java.io.Serializable;

/**
 * Statistics of one coordinate, in the coordinate's units (squared units for variances).
 *
 * <p>Without window sums all fields describe the final states. With window sums, {@code mean} and
 * {@code meanStdErr} are those of the per-particle time averages {@code avg x_j}, {@code variance}
 * is the stationary-variance estimate {@code mean(avg x_j²) − mean(avg x_j)²} (bias O(1/P)) with the
 * delta-method standard error {@code sd(avg x_j² − 2μ·avg x_j)/√P} (docs/theory.md §4), and
 * {@code skewness}, {@code excessKurtosis}, {@code min}, {@code max} describe the final states (each
 * a sample of the law at the final time).
 *
 * @param mean mean
 * @param meanStdErr standard error of the mean
 * @param variance variance (unbiased for final states)
 * @param varianceStdErr standard error of the variance
 * @param skewness sample skewness g1
 * @param excessKurtosis sample excess kurtosis g2 (0 for a normal law)
 * @param min smallest final value
 * @param max largest final value
 */
public record CoordinateStats(double mean, double meanStdErr, double variance, double varianceStdErr,
                              double skewness, double excessKurtosis, double min, double max)
        implements Serializable {
}
