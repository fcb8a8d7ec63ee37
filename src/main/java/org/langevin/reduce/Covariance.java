package org.langevin.reduce;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable accumulator of the covariance matrix of d coordinates ({@code 1 <= d <= 64}) with a
 * delta-method standard error per entry.
 *
 * <p>For every pair {@code j <= k} it keeps the central co-moment sums
 * {@code Mpq = Σ (xj − x̄j)^p (xk − x̄k)^q} for {@code (p,q) = (1,1), (2,1), (1,2), (2,2)} (on the
 * diagonal these are {@code M2, M3, M3, M4}). The covariance is {@code M11/(n−1)}; its standard error
 * is that of the mean of the per-particle products {@code (xj − μj)(xk − μk)}:
 * {@code √((M22/n − (M11/n)²)/n)}, exact to leading order in 1/n (the estimation of μ contributes
 * O(1/n)). On the diagonal it agrees with {@link Moments#getVarianceStdErr()} to leading order.
 *
 * <p>Merge: the binomial expansion of the deviations about the merged mean (Pébay 2008). With
 * {@code n = nA + nB}, {@code δ = x̄B − x̄A} and per part {@code c_A = −nB/n}, {@code c_B = nA/n},
 * {@code u = c·δj}, {@code v = c·δk}, each part S contributes
 * <pre>
 *   M11 += M11S + nS·u·v
 *   M21 += M21S + 2u·M11S + v·M20S + nS·u²·v
 *   M12 += M12S + 2v·M11S + u·M02S + nS·u·v²
 *   M22 += M22S + 2v·M21S + 2u·M12S + v²·M20S + u²·M02S + 4uv·M11S + nS·u²·v²
 * </pre>
 * where {@code M20S, M02S} are the diagonal {@code M11} of j and k. Deterministic; combining with an
 * empty accumulator leaves the bits unchanged; merge parallel parts in a fixed order.
 *
 * <p>Not thread-safe.
 */
public final class Covariance implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Largest supported dimension. */
    public static final int MAX_DIMENSION = 64;

    /** Number of coordinates d. */
    private final int d;
    /** Number of points. */
    private long n;
    /** Means of the coordinates. */
    private double[] mean;
    /** Packed upper triangle (row-major, j ≤ k) of M11. */
    private double[] m11;
    /** Packed upper triangle of M21 (squared deviation of j times deviation of k). */
    private double[] m21;
    /** Packed upper triangle of M12. */
    private double[] m12;
    /** Packed upper triangle of M22. */
    private double[] m22;

    /**
     * Creates an empty accumulator.
     *
     * @param dimension number of coordinates, in {@code [1, 64]}
     */
    public Covariance(int dimension) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension must be in [1, " + MAX_DIMENSION + "], got "
                    + dimension + "; disable the covariance for larger d");
        }
        d = dimension;
        int t = d * (d + 1) / 2;
        mean = new double[d];
        m11 = new double[t];
        m21 = new double[t];
        m12 = new double[t];
        m22 = new double[t];
    }

    private static int index(int d, int j, int k) {
        return j * d - j * (j - 1) / 2 + (k - j);
    }

    /**
     * Two-pass co-moments of the points {@code (values[0][i], …, values[d−1][i])}, {@code i < count},
     * in index order.
     *
     * @param values d rows, each of length {@code >= count}
     * @param count number of points, {@code >= 0}
     * @param work scratch of at least d rows of length {@code >= count}, or null to allocate; its
     *             contents are overwritten
     * @return a new accumulator
     */
    public static Covariance ofValues(double[][] values, int count, double[][] work) {
        int dim = values.length;
        Covariance c = new Covariance(dim);
        for (double[] row : values) {
            if (row.length < count) {
                throw new IllegalArgumentException("every row needs >= count = " + count
                        + " values, got a row of " + row.length);
            }
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (count == 0) {
            return c;
        }
        double[][] dev = work != null ? work : new double[dim][count];
        if (dev.length < dim) {
            throw new IllegalArgumentException("work needs " + dim + " rows, got " + dev.length);
        }
        for (int j = 0; j < dim; j++) {
            double[] v = values[j];
            double s = 0;
            for (int i = 0; i < count; i++) {
                s += v[i];
            }
            double mu = s / count;
            c.mean[j] = mu;
            double[] w = dev[j];
            for (int i = 0; i < count; i++) {
                w[i] = v[i] - mu;
            }
        }
        int p = 0;
        for (int j = 0; j < dim; j++) {
            double[] a = dev[j];
            for (int k = j; k < dim; k++, p++) {
                double[] b = dev[k];
                double s11 = 0;
                double s21 = 0;
                double s12 = 0;
                double s22 = 0;
                for (int i = 0; i < count; i++) {
                    double u = a[i];
                    double v = b[i];
                    double uv = u * v;
                    s11 += uv;
                    s21 += uv * u;
                    s12 += uv * v;
                    s22 += uv * uv;
                }
                c.m11[p] = s11;
                c.m21[p] = s21;
                c.m12[p] = s12;
                c.m22[p] = s22;
            }
        }
        c.n = count;
        return c;
    }

    /**
     * Adds one point (as a merge with a one-point accumulator; O(d²) with allocation, meant for
     * small uses; the reducer uses {@link #ofValues}).
     *
     * @param x the point, length d
     */
    public void accept(double[] x) {
        if (x.length != d) {
            throw new IllegalArgumentException("point must have length d = " + d + ", got " + x.length);
        }
        Covariance one = new Covariance(d);
        one.n = 1;
        System.arraycopy(x, 0, one.mean, 0, d);
        combine(one);
    }

    /**
     * Merges {@code other} into this accumulator (formulas in the class comment).
     *
     * @param other accumulator of the same dimension; not modified
     * @return this
     */
    public Covariance combine(Covariance other) {
        if (other.d != d) {
            throw new IllegalArgumentException("dimension mismatch: " + d + " vs " + other.d);
        }
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
        double ca = -nb / nt;
        double cb = na / nt;
        double[] delta = new double[d];
        double[] newMean = new double[d];
        for (int j = 0; j < d; j++) {
            delta[j] = other.mean[j] - mean[j];
            newMean[j] = mean[j] + delta[j] * (nb / nt);
        }
        int t = m11.length;
        double[] r11 = new double[t];
        double[] r21 = new double[t];
        double[] r12 = new double[t];
        double[] r22 = new double[t];
        int p = 0;
        for (int j = 0; j < d; j++) {
            int jj = index(d, j, j);
            for (int k = j; k < d; k++, p++) {
                int kk = index(d, k, k);
                double ua = ca * delta[j];
                double va = ca * delta[k];
                double ub = cb * delta[j];
                double vb = cb * delta[k];
                double sa11 = m11[p] + na * ua * va;
                double sb11 = other.m11[p] + nb * ub * vb;
                r11[p] = sa11 + sb11;
                double sa21 = m21[p] + 2 * ua * m11[p] + va * m11[jj] + na * ua * ua * va;
                double sb21 = other.m21[p] + 2 * ub * other.m11[p] + vb * other.m11[jj] + nb * ub * ub * vb;
                r21[p] = sa21 + sb21;
                double sa12 = m12[p] + 2 * va * m11[p] + ua * m11[kk] + na * ua * va * va;
                double sb12 = other.m12[p] + 2 * vb * other.m11[p] + ub * other.m11[kk] + nb * ub * vb * vb;
                r12[p] = sa12 + sb12;
                double sa22 = m22[p] + 2 * va * m21[p] + 2 * ua * m12[p] + va * va * m11[jj]
                        + ua * ua * m11[kk] + 4 * ua * va * m11[p] + na * ua * ua * va * va;
                double sb22 = other.m22[p] + 2 * vb * other.m21[p] + 2 * ub * other.m12[p]
                        + vb * vb * other.m11[jj] + ub * ub * other.m11[kk] + 4 * ub * vb * other.m11[p]
                        + nb * ub * ub * vb * vb;
                r22[p] = sa22 + sb22;
            }
        }
        mean = newMean;
        m11 = r11;
        m21 = r21;
        m12 = r12;
        m22 = r22;
        n += other.n;
        return this;
    }

    /** @return an independent copy */
    public Covariance copy() {
        Covariance c = new Covariance(d);
        c.set(this);
        return c;
    }

    private void set(Covariance o) {
        n = o.n;
        mean = o.mean.clone();
        m11 = o.m11.clone();
        m21 = o.m21.clone();
        m12 = o.m12.clone();
        m22 = o.m22.clone();
    }

    /** @return number of coordinates d */
    public int getDimension() {
        return d;
    }

    /** @return number of points */
    public long getCount() {
        return n;
    }

    /**
     * @param j coordinate, in {@code [0, d)}
     * @return mean of coordinate j; NaN when empty
     */
    public double getMean(int j) {
        check(j);
        return n == 0 ? Double.NaN : mean[j];
    }

    /**
     * @param j first coordinate, in {@code [0, d)}
     * @param k second coordinate, in {@code [0, d)}
     * @return unbiased covariance {@code M11/(n−1)}; NaN when {@code n < 2}
     */
    public double getCovariance(int j, int k) {
        int p = packed(j, k);
        return n < 2 ? Double.NaN : m11[p] / (n - 1);
    }

    /**
     * @param j first coordinate, in {@code [0, d)}
     * @param k second coordinate, in {@code [0, d)}
     * @return standard error of {@link #getCovariance(int, int)} (class comment); NaN when {@code n < 2}
     */
    public double getCovarianceStdErr(int j, int k) {
        int p = packed(j, k);
        if (n < 2) {
            return Double.NaN;
        }
        double nn = n;
        double c = m11[p] / nn;
        return Math.sqrt(Math.max(0, m22[p] / nn - c * c) / nn);
    }

    /** @return the d×d covariance matrix (a new array); NaN entries when {@code n < 2} */
    public double[][] getCovarianceMatrix() {
        double[][] c = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                c[j][k] = getCovariance(j, k);
            }
        }
        return c;
    }

    /** @return the d×d matrix of standard errors of the covariance entries (a new array) */
    public double[][] getCovarianceStdErrMatrix() {
        double[][] c = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < d; k++) {
                c[j][k] = getCovarianceStdErr(j, k);
            }
        }
        return c;
    }

    private void check(int j) {
        if (j < 0 || j >= d) {
            throw new IllegalArgumentException("coordinate must be in [0, " + d + "), got " + j);
        }
    }

    private int packed(int j, int k) {
        check(j);
        check(k);
        return j <= k ? index(d, j, k) : index(d, k, j);
    }

    @Override
    public String toString() {
        return "Covariance[d=" + d + ", n=" + n + ", mean=" + Arrays.toString(mean) + "]";
    }
}
