package org.langevin.check;

/**
 * Result of a goodness-of-fit test.
 *
 * @param statistic the test statistic (chi-square X², or the Kolmogorov–Smirnov D)
 * @param pValue its p-value under the claimed law
 * @param nullMean mean of the statistic under the claimed law (k−1 for X²; ≈ 0.8687/√n for D)
 * @param nullStdDev its standard deviation under the claimed law (√(2(k−1)); ≈ 0.2603/√n for D)
 */
public record DistributionTest(double statistic, double pValue, double nullMean, double nullStdDev) {
}
