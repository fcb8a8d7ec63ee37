package org.langevin.reduce;

import java.io.Serializable;

/**
 * Mergeable 2-D histogram of pairs {@code (x, y)} on {@code binsX × binsY} equal cells of
 * {@code [loX, hiX) × [loY, hiY)}, with long counts and one count of pairs outside the rectangle.
 * Cell edges as in {@link Histogram1D}. Merging adds integer counts: exact, associative, commutative.
 *
 * <p>Not thread-safe.
 */
public final class Histogram2D implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Bins along x. */
    private final int binsX;
    /** Bins along y. */
    private final int binsY;
    /** Range of x. */
    private final double loX;
    /** Range of x (exclusive upper edge). */
    private final double hiX;
    /** Range of y. */
    private final double loY;
    /** Range of y (exclusive upper edge). */
    private final double hiY;
    /** Index scales binsX/(hiX−loX), binsY/(hiY−loY). */
    private final double scaleX;
    /** Index scale along y. */
    private final double scaleY;
    /** Counts, cell (i, j) at i·binsY + j. */
    private final long[] counts;
    /** Pairs outside the rectangle. */
    private long outside;

    /**
     * Creates an empty 2-D histogram.
     *
     * @param binsX bins along x, in {@code [1, 10^4]}
     * @param loX lower edge of x, finite
     * @param hiX upper edge of x, finite, {@code > loX}
     * @param binsY bins along y, in {@code [1, 10^4]}
     * @param loY lower edge of y, finite
     * @param hiY upper edge of y, finite, {@code > loY}
     */
    public Histogram2D(int binsX, double loX, double hiX, int binsY, double loY, double hiY) {
        Histogram1D.checkRange("binsX", binsX, "loX", loX, "hiX", hiX);
        Histogram1D.checkRange("binsY", binsY, "loY", loY, "hiY", hiY);
        if (binsX > 10_000 || binsY > 10_000) {
            throw new IllegalArgumentException("binsX and binsY must be <= 10^4, got " + binsX + " and " + binsY);
        }
        this.binsX = binsX;
        this.binsY = binsY;
        this.loX = loX;
        this.hiX = hiX;
        this.loY = loY;
        this.hiY = hiY;
        this.scaleX = binsX / (hiX - loX);
        this.scaleY = binsY / (hiY - loY);
        this.counts = new long[binsX * binsY];
    }

    /**
     * Counts one pair.
     *
     * @param x first value, not NaN
     * @param y second value, not NaN
     */
    public void accept(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            throw new IllegalArgumentException("x and y must not be NaN, got " + x + ", " + y);
        }
        int i = Histogram1D.binOf(x, loX, hiX, scaleX, binsX);
        int j = Histogram1D.binOf(y, loY, hiY, scaleY, binsY);
        if (i < 0 || i >= binsX || j < 0 || j >= binsY) {
            outside++;
        } else {
            counts[i * binsY + j]++;
        }
    }

    /**
     * Adds the counts of {@code other}, which must have the same layout (bit for bit).
     *
     * @param other histogram to add; not modified
     * @return this
     */
    public Histogram2D combine(Histogram2D other) {
        if (other.binsX != binsX || other.binsY != binsY
                || Double.doubleToLongBits(other.loX) != Double.doubleToLongBits(loX)
                || Double.doubleToLongBits(other.hiX) != Double.doubleToLongBits(hiX)
                || Double.doubleToLongBits(other.loY) != Double.doubleToLongBits(loY)
                || Double.doubleToLongBits(other.hiY) != Double.doubleToLongBits(hiY)) {
            throw new IllegalArgumentException("2-D histogram layout mismatch");
        }
        for (int k = 0; k < counts.length; k++) {
            counts[k] += other.counts[k];
        }
        outside += other.outside;
        return this;
    }

    /** @return an independent copy */
    public Histogram2D copy() {
        Histogram2D h = new Histogram2D(binsX, loX, hiX, binsY, loY, hiY);
        System.arraycopy(counts, 0, h.counts, 0, counts.length);
        h.outside = outside;
        return h;
    }

    /** @return bins along x */
    public int getBinsX() {
        return binsX;
    }

    /** @return bins along y */
    public int getBinsY() {
        return binsY;
    }

    /** @return lower edge of x */
    public double getLoX() {
        return loX;
    }

    /** @return upper edge of x */
    public double getHiX() {
        return hiX;
    }

    /** @return lower edge of y */
    public double getLoY() {
        return loY;
    }

    /** @return upper edge of y */
    public double getHiY() {
        return hiY;
    }

    /**
     * @param i bin along x, in {@code [0, binsX]} ({@code binsX} gives the upper edge)
     * @return lower edge of x-bin i
     */
    public double xEdge(int i) {
        if (i < 0 || i > binsX) {
            throw new IllegalArgumentException("i must be in [0, " + binsX + "], got " + i);
        }
        return i == binsX ? hiX : loX + (hiX - loX) * i / binsX;
    }

    /**
     * @param j bin along y, in {@code [0, binsY]} ({@code binsY} gives the upper edge)
     * @return lower edge of y-bin j
     */
    public double yEdge(int j) {
        if (j < 0 || j > binsY) {
            throw new IllegalArgumentException("j must be in [0, " + binsY + "], got " + j);
        }
        return j == binsY ? hiY : loY + (hiY - loY) * j / binsY;
    }

    /**
     * @param i bin along x, in {@code [0, binsX)}
     * @param j bin along y, in {@code [0, binsY)}
     * @return count of cell (i, j)
     */
    public long getCount(int i, int j) {
        if (i < 0 || i >= binsX || j < 0 || j >= binsY) {
            throw new IllegalArgumentException("cell must be in [0, " + binsX + ") x [0, " + binsY
                    + "), got (" + i + ", " + j + ")");
        }
        return counts[i * binsY + j];
    }

    /** @return pairs outside the rectangle */
    public long getOutside() {
        return outside;
    }

    /** @return all pairs counted, including those outside */
    public long getTotal() {
        long t = outside;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /**
     * @param i bin along x, in {@code [0, binsX)}
     * @param j bin along y, in {@code [0, binsY)}
     * @return density estimate {@code count / (total · area)}; NaN when empty
     */
    public double density(int i, int j) {
        long t = getTotal();
        double area = (xEdge(i + 1) - xEdge(i)) * (yEdge(j + 1) - yEdge(j));
        return t == 0 ? Double.NaN : getCount(i, j) / (t * area);
    }
}
