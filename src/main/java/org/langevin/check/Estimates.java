package org.langevin.check;

/**
 * Estimates with standard errors from independent per-particle values (docs/theory.md §4): the mean and
 * its standard error s/√P, paired differences, ratios by the delta method, Richardson extrapolation.
 * All sums are in double, two-pass (mean, then centred squares). Stateless and thread-safe.
 */
public final class Estimates {
    private Estimates() {
    }

    /**
     * Mean of independent values with standard error s/√P (s the sample standard deviation, P − 1 in
     * its denominator).
     *
     * @param v at least two finite values
     * @return the mean with standard error √(Σ(v − mean)² / (P − 1) / P)
     * @throws IllegalArgumentException when there are fewer than two values or one is not finite
     */
    public static Estimate mean(double[] v) {
        requireSamples("v", v.length);
        double m = sum(v) / v.length;
        double ss = 0;
        for (double x : v) {
            double d = x - m;
            ss += d * d;
        }
        checkFinite("v", m + ss);
        return new Estimate(m, Math.sqrt(ss / (v.length - 1) / v.length));
    }

    /**
     * The identity LHS = RHS measured per particle: means of both sides and the mean paired difference
     * with its standard error sd(LHS − RHS)/√P.
     *
     * @param lhs per-particle left-hand sides
     * @param rhs per-particle right-hand sides, same length
     * @return mean(LHS), mean(RHS) and {@link #mean(double[])} of the differences LHS − RHS
     * @throws IllegalArgumentException when the lengths differ, there are fewer than two particles or a
     *     difference is not finite
     */
    public static PairedEstimate paired(double[] lhs, double[] rhs) {
        sameLength(lhs, rhs);
        double[] d = new double[lhs.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = lhs[i] - rhs[i];
        }
        return new PairedEstimate(sum(lhs) / lhs.length, sum(rhs) / rhs.length, mean(d));
    }

    /**
     * The ratio of means R = mean(a)/mean(b) of paired per-particle values, with the delta-method standard
     * error sd(a − R·b)/(√P·|mean(b)|), which accounts for the correlation of a and b.
     *
     * @param a numerators per particle
     * @param b denominators per particle (mean ≠ 0)
     * @return R with its delta-method standard error
     * @throws IllegalArgumentException when the lengths differ, there are fewer than two particles or
     *     mean(b) is 0 or NaN
     */
    public static Estimate ratio(double[] a, double[] b) {
        sameLength(a, b);
        double ma = sum(a) / a.length;
        double mb = sum(b) / b.length;
        if (!(Math.abs(mb) > 0)) {
            throw new IllegalArgumentException("ratio: the mean of the denominators is " + mb);
        }
        double r = ma / mb;
        double ss = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - r * b[i];
            ss += d * d;
        }
        return new Estimate(r, Math.sqrt(ss / (a.length - 1) / a.length) / Math.abs(mb));
    }

    /**
     * The ratio x/y of two independent estimates, delta-method standard error.
     *
     * @param x the numerator
     * @param y the denominator, independent of x, value ≠ 0
     * @return r = x/y with standard error √((se_x/y)² + (r·se_y/y)²)
     * @throws IllegalArgumentException when y's value is 0 or NaN
     */
    public static Estimate ratio(Estimate x, Estimate y) {
        if (!(Math.abs(y.value()) > 0)) {
            throw new IllegalArgumentException("ratio: the denominator is " + y.value());
        }
        double r = x.value() / y.value();
        double se = Math.hypot(x.stdErr() / y.value(), r * y.stdErr() / y.value());
        return new Estimate(r, Math.abs(se));
    }

    /**
     * First-order Richardson extrapolation to step 0 from independent estimates at step h and h/2:
     * 2·f(h/2) − f(h), standard error √(4·se(h/2)² + se(h)²). Removes an O(h) bias, leaves O(h²).
     *
     * @param atH the estimate f(h) at step h
     * @param atHalf the estimate f(h/2) at step h/2, independent of atH
     * @return the extrapolated estimate of f(0)
     */
    public static Estimate richardson(Estimate atH, Estimate atHalf) {
        return new Estimate(2 * atHalf.value() - atH.value(), Math.hypot(2 * atHalf.stdErr(), atH.stdErr()));
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static void requireSamples(String name, int n) {
        if (n < 2) {
            throw new IllegalArgumentException(name + " needs at least 2 values for a standard error, got " + n);
        }
    }

    private static void sameLength(double[] a, double[] b) {
        requireSamples("a", a.length);
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired values differ in length: " + a.length + " and " + b.length);
        }
    }

    private static void checkFinite(String name, double s) {
        if (!Double.isFinite(s)) {
            throw new IllegalArgumentException(name + " contains a value that is not finite");
        }
    }
}
