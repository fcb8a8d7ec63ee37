package org.langevin.reduce;

import java.io.Serializable;

/**
 * Mergeable accumulator of paired values {@code (x, y)}: count, both means, both central sums of
 * squares {@code M2x, M2y}, the co-moment {@code Cxy = Σ(x − x̄)(y − ȳ)}, and the {@link Moments} of
 * x alone (up to the fourth, for the standard error of x's variance). It gives the standard
 * error of any linear combination {@code a·x̄ + b·ȳ}, which is the delta method for a smooth function
 * of two means (docs/theory.md §4): the time-averaged stationary variance {@code V = ȳ − x̄²} with
 * {@code x = avg φ}, {@code y = avg φ²} has gradient {@code (−2x̄, 1)}.
 *
 * <p>Merge (Chan et al. 1979), with {@code n = nA + nB}, {@code δx = x̄B − x̄A}, {@code δy = ȳB − ȳA}:
 * {@code M2x = M2xA + M2xB + δx²·nA·nB/n}, same for y, {@code Cxy = CxyA + CxyB + δx·δy·nA·nB/n}.
 * Deterministic; combining with an empty accumulator leaves the bits unchanged; merge parallel parts
 * in a fixed order for reproducible bytes.
 *
 * <p>Not thread-safe.
 */
public final class PairedMoments implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Number of pairs. */
    private long n;
    /** Mean of x. */
    private double meanX;
    /** Mean of y. */
    private double meanY;
    /** Σ(x − x̄)². */
    private double m2x;
    /** Σ(y − ȳ)². */
    private double m2y;
    /** Σ(x − x̄)(y − ȳ). */
    private double cxy;
    /** Moments of x alone (count, mean, M2…M4, min, max), merged alongside. */
    private Moments xMoments = new Moments();

    /** Creates an empty accumulator. */
    public PairedMoments() {
    }

    /**
     * Two-pass moments of the pairs {@code (x[i], y[i])}, {@code i < count}, in index order.
     *
     * @param x first values
     * @param y second values, same length as {@code x}
     * @param count number of pairs, in {@code [0, x.length]}
     * @return a new accumulator
     */
    public static PairedMoments ofValues(double[] x, double[] y, int count) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have the same length, got " + x.length
                    + " and " + y.length);
        }
        if (count < 0 || count > x.length) {
            throw new IllegalArgumentException("count must be in [0, " + x.length + "], got " + count);
        }
        PairedMoments p = new PairedMoments();
        if (count == 0) {
            return p;
        }
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < count; i++) {
            sx += x[i];
            sy += y[i];
        }
        double mx = sx / count;
        double my = sy / count;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < count; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        p.n = count;
        p.meanX = mx;
        p.meanY = my;
        p.m2x = sxx;
        p.m2y = syy;
        p.cxy = sxy;
        p.xMoments = Moments.ofValues(x, count);
        return p;
    }

    /**
     * Adds one pair (Welford update).
     *
     * @param x first value
     * @param y second value
     */
    public void accept(double x, double y) {
        n++;
        double dx = x - meanX;
        double dy = y - meanY;
        meanX += dx / n;
        meanY += dy / n;
        double dx2 = x - meanX;
        double dy2 = y - meanY;
        m2x += dx * dx2;
        m2y += dy * dy2;
        cxy += dx * dy2;
        xMoments.accept(x);
    }

    /**
     * Merges {@code other} into this accumulator (formulas in the class comment).
     *
     * @param other the accumulator to merge; not modified
     * @return this
     */
    public PairedMoments combine(PairedMoments other) {
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
        double dx = other.meanX - meanX;
        double dy = other.meanY - meanY;
        double w = na * nb / nt;
        m2x = m2x + other.m2x + dx * dx * w;
        m2y = m2y + other.m2y + dy * dy * w;
        cxy = cxy + other.cxy + dx * dy * w;
        meanX = meanX + dx * (nb / nt);
        meanY = meanY + dy * (nb / nt);
        n += other.n;
        xMoments.combine(other.xMoments);
        return this;
    }

    /** @return an independent copy */
    public PairedMoments copy() {
        PairedMoments p = new PairedMoments();
        p.set(this);
        return p;
    }

    private void set(PairedMoments o) {
        n = o.n;
        meanX = o.meanX;
        meanY = o.meanY;
        m2x = o.m2x;
        m2y = o.m2y;
        cxy = o.cxy;
        xMoments = o.xMoments.copy();
    }

    /** @return number of pairs */
    public long getCount() {
        return n;
    }

    /** @return mean of x; NaN when empty */
    public double getMeanX() {
        return n == 0 ? Double.NaN : meanX;
    }

    /** @return mean of y; NaN when empty */
    public double getMeanY() {
        return n == 0 ? Double.NaN : meanY;
    }

    /** @return unbiased variance of x; NaN when {@code n < 2} */
    public double getVarianceX() {
        return n < 2 ? Double.NaN : m2x / (n - 1);
    }

    /**
     * @return a copy of the moments of x alone (its variance, the variance's standard error, skewness,
     *         kurtosis, minimum and maximum)
     */
    public Moments momentsX() {
        return xMoments.copy();
    }

    /** @return unbiased variance of y; NaN when {@code n < 2} */
    public double getVarianceY() {
        return n < 2 ? Double.NaN : m2y / (n - 1);
    }

    /** @return unbiased covariance of x and y; NaN when {@code n < 2} */
    public double getCovariance() {
        return n < 2 ? Double.NaN : cxy / (n - 1);
    }

    /**
     * Standard error of the mean of {@code a·x + b·y}, i.e. of {@code a·x̄ + b·ȳ}:
     * {@code √((a²·s²x + 2ab·sxy + b²·s²y)/n)}, clamped at 0 against rounding.
     *
     * @param a coefficient of x (finite)
     * @param b coefficient of y (finite)
     * @return the standard error; NaN when {@code n < 2}
     */
    public double linearCombinationStdErr(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("coefficients must be finite, got a=" + a + ", b=" + b);
        }
        if (n < 2) {
            return Double.NaN;
        }
        double v = (a * a * m2x + 2 * a * b * cxy + b * b * m2y) / (n - 1);
        return Math.sqrt(Math.max(0, v) / n);
    }
}
