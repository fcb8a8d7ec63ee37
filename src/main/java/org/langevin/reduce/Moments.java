package org.langevin.reduce;

import java.io.Serializable;

/**
 * Mergeable accumulator of the count, mean, central moment sums {@code M2, M3, M4} and the minimum
 * and maximum of a stream of doubles.
 *
 * <p>{@link #accept(double)} uses the one-point update and {@link #combine(Moments)} the pairwise
 * update of Chan, Golub and LeVeque (1979) extended to third and fourth order by Pébay (2008,
 * SAND2008-6212): with {@code n = nA + nB} and {@code δ = meanB − meanA},
 * <pre>
 *   mean = meanA + δ·nB/n
 *   M2 = M2A + M2B + δ²·nA·nB/n
 *   M3 = M3A + M3B + δ³·nA·nB·(nA − nB)/n² + 3δ·(nA·M2B − nB·M2A)/n
 *   M4 = M4A + M4B + δ⁴·nA·nB·(nA² − nA·nB + nB²)/n³ + 6δ²·(nA²·M2B + nB²·M2A)/n² + 4δ·(nA·M3B − nB·M3A)/n
 * </pre>
 * Combining with an empty accumulator leaves the other operand's bits unchanged. The merge is
 * deterministic (Java double arithmetic) but not associative in floating point: parts computed in
 * parallel give the same bytes whenever they are merged in the same fixed order (the reducer fixes
 * it, see {@link PartialMerger}).
 *
 * <p>Not thread-safe: confine an instance to one thread, merge instances afterwards.
 */
public final class Moments implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Number of values accepted. */
    private long n;
    /** Mean of the values (0 when empty). */
    private double mean;
    /** Sum of squared deviations from the mean. */
    private double m2;
    /** Sum of cubed deviations from the mean. */
    private double m3;
    /** Sum of fourth powers of deviations from the mean. */
    private double m4;
    /** Smallest value (+∞ when empty). */
    private double min = Double.POSITIVE_INFINITY;
    /** Largest value (−∞ when empty). */
    private double max = Double.NEGATIVE_INFINITY;

    /** Creates an empty accumulator. */
    public Moments() {
    }

    private Moments(Moments o) {
        set(o);
    }

    /**
     * The accumulator with the given fields, as {@link #ofValues} leaves them: the moments of a block
     * reduced elsewhere (a device's block record). An empty set ({@code n = 0}) gives a new accumulator.
     */
    static Moments ofFields(long n, double mean, double m2, double m3, double m4, double min, double max) {
        Moments m = new Moments();
        if (n == 0) {
            return m;
        }
        m.n = n;
        m.mean = mean;
        m.m2 = m2;
        m.m3 = m3;
        m.m4 = m4;
        m.min = min;
        m.max = max;
        return m;
    }

    /**
     * Moments of {@code values[0..count-1]} computed by two passes in index order (the mean first,
     * then the central sums), the most accurate form; used for one block of particles.
     *
     * @param values the values; only the first {@code count} are read
     * @param count number of values, in {@code [0, values.length]}
     * @return a new accumulator
     */
    public static Moments ofValues(double[] values, int count) {
        if (count < 0 || count > values.length) {
            throw new IllegalArgumentException("count must be in [0, " + values.length + "], got " + count);
        }
        Moments m = new Moments();
        if (count == 0) {
            return m;
        }
        double sum = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double v = values[i];
            sum += v;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double mu = sum / count;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        for (int i = 0; i < count; i++) {
            double dv = values[i] - mu;
            double d2 = dv * dv;
            s2 += d2;
            s3 += d2 * dv;
            s4 += d2 * d2;
        }
        m.n = count;
        m.mean = mu;
        m.m2 = s2;
        m.m3 = s3;
        m.m4 = s4;
        m.min = lo;
        m.max = hi;
        return m;
    }

    /**
     * Adds one value (one-point Pébay update). Any double is accepted; a non-finite value makes the
     * moments non-finite (the reducer excludes diverged particles before they get here).
     *
     * @param x the value
     */
    public void accept(double x) {
        long n1 = n;
        n = n1 + 1;
        double nn = n;
        double delta = x - mean;
        double dn = delta / nn;
        double dn2 = dn * dn;
        double term1 = delta * dn * n1;
        mean += dn;
        m4 += term1 * dn2 * (nn * nn - 3 * nn + 3) + 6 * dn2 * m2 - 4 * dn * m3;
        m3 += term1 * dn * (nn - 2) - 3 * dn * m2;
        m2 += term1;
        min = Math.min(min, x);
        max = Math.max(max, x);
    }

    /**
     * Merges {@code other} into this accumulator, as if its values had been accepted after this
     * one's (formulas in the class comment). Safe to use for parts computed in parallel, merged in a
     * fixed order.
     *
     * @param other the accumulator to merge; not modified
     * @return this
     */
    public Moments combine(Moments other) {
        if (other.n == 0) {
            return this;
        }
        if (n == 0) {
            set(other);
            return this;
        }
        double na = n;
        double nb = other.n;
        double nt = na + nb;
        double delta = other.mean - mean;
        double dn = delta / nt;
        double dn2 = dn * dn;
        double a2 = m2;
        double a3 = m3;
        double b2 = other.m2;
        double b3 = other.m3;
        double prod = na * nb;
        m4 = m4 + other.m4 + delta * dn * dn2 * prod * (na * na - na * nb + nb * nb)
                + 6 * dn2 * (na * na * b2 + nb * nb * a2)
                + 4 * dn * (na * b3 - nb * a3);
        m3 = a3 + b3 + delta * dn2 * prod * (na - nb) + 3 * dn * (na * b2 - nb * a2);
        m2 = a2 + b2 + delta * dn * prod;
        mean = mean + dn * nb;
        n += other.n;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
        return this;
    }

    /** @return an independent copy of this accumulator */
    public Moments copy() {
        return new Moments(this);
    }

    private void set(Moments o) {
        n = o.n;
        mean = o.mean;
        m2 = o.m2;
        m3 = o.m3;
        m4 = o.m4;
        min = o.min;
        max = o.max;
    }

    /** @return number of values accepted, {@code >= 0} */
    public long getCount() {
        return n;
    }

    /** @return the mean; NaN when empty */
    public double getMean() {
        return n == 0 ? Double.NaN : mean;
    }

    /** @return the sum of squared deviations from the mean {@code M2}; 0 when empty */
    public double getM2() {
        return m2;
    }

    /** @return the sum of cubed deviations from the mean {@code M3}; 0 when empty */
    public double getM3() {
        return m3;
    }

    /** @return the sum of fourth powers of deviations from the mean {@code M4}; 0 when empty */
    public double getM4() {
        return m4;
    }

    /** @return the smallest value; NaN when empty */
    public double getMin() {
        return n == 0 ? Double.NaN : min;
    }

    /** @return the largest value; NaN when empty */
    public double getMax() {
        return n == 0 ? Double.NaN : max;
    }

    /** @return the unbiased variance {@code M2/(n−1)}; NaN when {@code n < 2} */
    public double getVariance() {
        return n < 2 ? Double.NaN : m2 / (n - 1);
    }

    /** @return the standard error of the mean, {@code s/√n}; NaN when {@code n < 2} */
    public double getMeanStdErr() {
        return Math.sqrt(getVariance() / n);
    }

    /**
     * Standard error of {@link #getVariance()} for independent values: the exact
     * {@code Var(s²) = (μ4 − σ⁴(n−3)/(n−1))/n} with the plug-in estimates {@code μ4 = M4/n} and
     * {@code σ² = s²} (for a normal law it reduces to {@code σ²·√(2/(n−1))}). A negative estimate,
     * possible only for tiny samples, is clamped to 0.
     *
     * @return the standard error, in squared value units; NaN when {@code n < 4}
     */
    public double getVarianceStdErr() {
        if (n < 4) {
            return Double.NaN;
        }
        double s2 = getVariance();
        double nn = n;
        double v = (m4 / nn - s2 * s2 * (nn - 3) / (nn - 1)) / nn;
        return Math.sqrt(Math.max(0, v));
    }

    /**
     * @return the sample skewness {@code g1 = (M3/n)/(M2/n)^{3/2}}; NaN when {@code n < 3} or all
     *         values are equal
     */
    public double getSkewness() {
        if (n < 3 || !(m2 > 0)) {
            return Double.NaN;
        }
        double v = m2 / n;
        return (m3 / n) / (v * Math.sqrt(v));
    }

    /**
     * @return the sample excess kurtosis {@code g2 = (M4/n)/(M2/n)² − 3} (0 for a normal law); NaN
     *         when {@code n < 4} or all values are equal
     */
    public double getExcessKurtosis() {
        if (n < 4 || !(m2 > 0)) {
            return Double.NaN;
        }
        double v = m2 / n;
        return (m4 / n) / (v * v) - 3;
    }
}
