package org.langevin.check;

import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.SignificanceResult;

/**
 * Goodness-of-fit tests of independent samples against a claimed law (docs/theory.md §4): chi-square on
 * k ≈ 2P^{2/5} bins that are equiprobable under the law, and Kolmogorov–Smirnov (one and two samples).
 * Stateless and thread-safe.
 */
public final class DensityTests {
    /** Mean of the Kolmogorov distribution, √(π/2)·ln 2: the null mean of √n·D. */
    public static final double KOLMOGOROV_MEAN = Math.sqrt(Math.PI / 2) * Math.log(2);
    /** Standard deviation of the Kolmogorov distribution, √(π²/12 − mean²). */
    public static final double KOLMOGOROV_SD = Math.sqrt(Math.PI * Math.PI / 12 - KOLMOGOROV_MEAN * KOLMOGOROV_MEAN);

    private DensityTests() {
    }

    /**
     * The number of bins of {@link #chiSquare}.
     *
     * @param samples P, the number of samples
     * @return the number of equiprobable bins for P samples, round(2P^{2/5}), at least 2
     */
    public static int bins(int samples) {
        return Math.max(2, (int) Math.round(2 * Math.pow(samples, 0.4)));
    }

    /**
     * Chi-square test on {@link #bins(int)} bins equiprobable under the claimed law: the bin of x is
     * ⌊k·F(x)⌋, so only the CDF is needed. Degrees of freedom k − 1.
     *
     * @param x independent samples (at least 10)
     * @param cdf the claimed cumulative distribution function, non-decreasing, values in [0, 1]
     * @return the statistic X² with its p-value, null mean k − 1 and null standard deviation √(2(k − 1))
     * @throws IllegalArgumentException when there are fewer than 10 samples or the CDF leaves [0, 1]
     */
    public static DistributionTest chiSquare(double[] x, DoubleUnaryOperator cdf) {
        if (x.length < 10) {
            throw new IllegalArgumentException("chi-square test needs at least 10 samples, got " + x.length);
        }
        int k = bins(x.length);
        long[] counts = new long[k];
        for (double v : x) {
            double u = cdf.applyAsDouble(v);
            if (!(u >= 0 && u <= 1)) {
                throw new IllegalArgumentException("cdf(" + v + ") = " + u + " is not in [0, 1]");
            }
            counts[Math.min(k - 1, (int) (u * k))]++;
        }
        SignificanceResult r = ChiSquareTest.withDefaults().test(counts);
        return new DistributionTest(r.getStatistic(), r.getPValue(), k - 1, Math.sqrt(2.0 * (k - 1)));
    }

    /**
     * One-sample Kolmogorov–Smirnov test (two-sided, asymptotic p-value).
     *
     * @param x independent samples (at least 10); not modified
     * @param cdf the claimed continuous CDF
     * @return the statistic D with its p-value, null mean {@link #KOLMOGOROV_MEAN}/√n and null standard
     *     deviation {@link #KOLMOGOROV_SD}/√n
     * @throws IllegalArgumentException when there are fewer than 10 samples
     */
    public static DistributionTest kolmogorovSmirnov(double[] x, DoubleUnaryOperator cdf) {
        if (x.length < 10) {
            throw new IllegalArgumentException("Kolmogorov-Smirnov test needs at least 10 samples, got " + x.length);
        }
        var r = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC).test(x, cdf);
        double s = Math.sqrt(x.length);
        return new DistributionTest(r.getStatistic(), r.getPValue(), KOLMOGOROV_MEAN / s, KOLMOGOROV_SD / s);
    }

    /**
     * Two-sample Kolmogorov–Smirnov test (two-sided, asymptotic p-value): do x and y come from the same
     * continuous law? The effective sample size is nm/(n+m).
     *
     * @param x first sample (at least 10); not modified
     * @param y second sample (at least 10); not modified
     * @return the statistic D with its p-value, null mean and standard deviation as for one sample with
     *     n = nm/(n+m)
     * @throws IllegalArgumentException when either sample has fewer than 10 values
     */
    public static DistributionTest kolmogorovSmirnov(double[] x, double[] y) {
        if (x.length < 10 || y.length < 10) {
            throw new IllegalArgumentException("two-sample Kolmogorov-Smirnov test needs at least 10 samples each, got "
                    + x.length + " and " + y.length);
        }
        var r = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC).test(x, y);
        double s = Math.sqrt((double) x.length * y.length / (x.length + y.length));
        return new DistributionTest(r.getStatistic(), r.getPValue(), KOLMOGOROV_MEAN / s, KOLMOGOROV_SD / s);
    }
}
