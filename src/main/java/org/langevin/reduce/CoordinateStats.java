package org.langevin.reduce;

import java.io.Serializable;

/**
 * Statistics of one coordinate, in the coordinate's units (squared units for variances).
 *
 * <p>Without window sums every field describes the final states, and the pooled fields are NaN. With
 * window sums ({@code --average}) every field but the pooled ones describes the per-particle time
 * averages {@code a_i = avg x_j} of the particles: their mean and its standard error, their unbiased
 * variance across particles with its standard error, skewness, excess kurtosis, minimum and maximum. The
 * pooled fields are then the stationary-variance estimate pooled over the window's steps and the
 * particles, {@code mean(avg x_j²) − mean(avg x_j)²} (bias O(1/P)), with the delta-method standard error
 * {@code sd(avg x_j² − 2μ·avg x_j)/√P} (docs/theory.md §4).
 *
 * @param mean mean
 * @param meanStdErr standard error of the mean
 * @param variance unbiased variance across particles
 * @param varianceStdErr standard error of the variance
 * @param skewness sample skewness g1
 * @param excessKurtosis sample excess kurtosis g2 (0 for a normal law)
 * @param min smallest value
 * @param max largest value
 * @param pooledVariance with window sums, the variance pooled over the window's steps and the particles; else NaN
 * @param pooledVarianceStdErr its standard error; NaN without window sums

 * @serial exclude (an accumulator's result passed between the reducer's parts, not a format to rely on)
 */
public record CoordinateStats(double mean, double meanStdErr, double variance, double varianceStdErr,
                              double skewness, double excessKurtosis, double min, double max,
                              double pooledVariance, double pooledVarianceStdErr)
        implements Serializable {

    /**
     * Statistics without pooled fields (final states).
     *
     * @param mean mean
     * @param meanStdErr standard error of the mean
     * @param variance unbiased variance across particles
     * @param varianceStdErr standard error of the variance
     * @param skewness sample skewness g1
     * @param excessKurtosis sample excess kurtosis g2
     * @param min smallest value
     * @param max largest value
     */
    public CoordinateStats(double mean, double meanStdErr, double variance, double varianceStdErr,
                           double skewness, double excessKurtosis, double min, double max) {
        this(mean, meanStdErr, variance, varianceStdErr, skewness, excessKurtosis, min, max, Double.NaN, Double.NaN);
    }

    /** @return whether the pooled fields are set (statistics of time averages) */
    public boolean pooled() {
        return !Double.isNaN(pooledVariance) || !Double.isNaN(pooledVarianceStdErr);
    }
}
