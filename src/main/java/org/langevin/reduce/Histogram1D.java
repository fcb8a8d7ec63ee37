package org.langevin.reduce;

import java.io.Serializable;

/**
 * Mergeable histogram of doubles on {@code bins} equal bins of {@code [lo, hi)}, with long counts and
 * separate underflow ({@code x < lo}) and overflow ({@code x >= hi}) counts. Bin {@code k} is
 * {@code [lo + (hi−lo)·k/bins, lo + (hi−lo)·(k+1)/bins)}. Counts are integers, so merging is exact,
 * associative and commutative.
 *
 * <p>Not thread-safe.
 */
public final class Histogram1D implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Number of bins. */
    private final int bins;
    /** Lower edge of the range. */
    private final double lo;
    /** Upper edge of the range (exclusive). */
    private final double hi;
    /** bins / (hi − lo), the index scale. */
    private final double scale;
    /** Count per bin. */
    private final long[] counts;
    /** Values below lo. */
    private long underflow;
    /** Values at or above hi. */
    private long overflow;

    /**
     * Creates an empty histogram.
     *
     * @param bins number of bins, in {@code [1, 10^7]}
     * @param lo lower edge, finite
     * @param hi upper edge, finite and {@code > lo}
     */
    public Histogram1D(int bins, double lo, double hi) {
        checkRange("bins", bins, "lo", lo, "hi", hi);
        this.bins = bins;
        this.lo = lo;
        this.hi = hi;
        this.scale = bins / (hi - lo);
        this.counts = new long[bins];
    }

    static void checkRange(String binsName, int bins, String loName, double lo, String hiName, double hi) {
        if (bins < 1 || bins > 10_000_000) {
            throw new IllegalArgumentException(binsName + " must be in [1, 10^7], got " + bins);
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException(loName + " and " + hiName
                    + " must be finite with " + loName + " < " + hiName + ", got " + lo + " and " + hi);
        }
    }

    /** Bin index of x in [0, bins), or -1 below, bins above (x not NaN). */
    static int binOf(double x, double lo, double hi, double scale, int bins) {
        if (x < lo) {
            return -1;
        }
        if (x >= hi) {
            return bins;
        }
        int k = (int) ((x - lo) * scale);
        return Math.min(k, bins - 1);
    }

    /**
     * Counts one value.
     *
     * @param x the value, not NaN (±∞ go to underflow/overflow)
     */
    public void accept(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("x must not be NaN; exclude diverged particles first");
        }
        int k = binOf(x, lo, hi, scale, bins);
        if (k < 0) {
            underflow++;
        } else if (k >= bins) {
            overflow++;
        } else {
            counts[k]++;
        }
    }

    /**
     * Adds the counts of {@code other}, which must have the same bins and range (bit for bit).
     *
     * @param other histogram to add; not modified
     * @return this
     */
    public Histogram1D combine(Histogram1D other) {
        if (other.bins != bins || Double.doubleToLongBits(other.lo) != Double.doubleToLongBits(lo)
                || Double.doubleToLongBits(other.hi) != Double.doubleToLongBits(hi)) {
            throw new IllegalArgumentException("histogram layout mismatch: [" + bins + ", " + lo + ", "
                    + hi + "] vs [" + other.bins + ", " + other.lo + ", " + other.hi + "]");
        }
        for (int k = 0; k < bins; k++) {
            counts[k] += other.counts[k];
        }
        underflow += other.underflow;
        overflow += other.overflow;
        return this;
    }

    /** Adds counts to bin k (k = -1: underflow, k = bins: overflow), for block records reduced elsewhere. */
    void add(int k, long count) {
        if (k < 0) {
            underflow += count;
        } else if (k >= bins) {
            overflow += count;
        } else {
            counts[k] += count;
        }
    }

    /** @return the index scale bins / (hi − lo) that {@link #accept} bins with */
    double scale() {
        return scale;
    }

    /** @return an independent copy */
    public Histogram1D copy() {
        Histogram1D h = new Histogram1D(bins, lo, hi);
        System.arraycopy(counts, 0, h.counts, 0, bins);
        h.underflow = underflow;
        h.overflow = overflow;
        return h;
    }

    /** @return number of bins */
    public int getBins() {
        return bins;
    }

    /** @return lower edge of the range */
    public double getLo() {
        return lo;
    }

    /** @return upper edge of the range */
    public double getHi() {
        return hi;
    }

    /**
     * @param k bin, in {@code [0, bins]} ({@code bins} gives the upper edge)
     * @return the lower edge of bin k
     */
    public double binLo(int k) {
        if (k < 0 || k > bins) {
            throw new IllegalArgumentException("k must be in [0, " + bins + "], got " + k);
        }
        return k == bins ? hi : lo + (hi - lo) * k / bins;
    }

    /**
     * @param k bin, in {@code [0, bins)}
     * @return the upper edge of bin k
     */
    public double binHi(int k) {
        if (k < 0 || k >= bins) {
            throw new IllegalArgumentException("k must be in [0, " + bins + "), got " + k);
        }
        return binLo(k + 1);
    }

    /**
     * @param k bin, in {@code [0, bins)}
     * @return count of bin k
     */
    public long getCount(int k) {
        if (k < 0 || k >= bins) {
            throw new IllegalArgumentException("k must be in [0, " + bins + "), got " + k);
        }
        return counts[k];
    }

    /** @return a copy of the bin counts */
    public long[] getCounts() {
        return counts.clone();
    }

    /** @return number of values below lo */
    public long getUnderflow() {
        return underflow;
    }

    /** @return number of values at or above hi */
    public long getOverflow() {
        return overflow;
    }

    /** @return all values counted, including underflow and overflow */
    public long getTotal() {
        long t = underflow + overflow;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /**
     * Density estimate of bin k: {@code count / (total · width)}, normalised by the total including
     * the values outside the range, so that it estimates the probability density itself.
     *
     * @param k bin, in {@code [0, bins)}
     * @return density in 1/(value units); NaN when the histogram is empty
     */
    public double density(int k) {
        long t = getTotal();
        return t == 0 ? Double.NaN : getCount(k) / (t * (binHi(k) - binLo(k)));
    }
}
