package org.langevin.check;

/**
 * Weighted least-squares fits of y ≈ Σ_j β_j x^j (polynomials of low degree) to independent points with
 * known standard errors: weights 1/se², parameter covariance (XᵀWX)⁻¹ (not rescaled by the fit's χ²,
 * because the point errors are known). Used for the loss-slope fit a + bη + cη² and the log-log exponent
 * fits. Stateless and thread-safe.
 */
public final class LeastSquares {
    private LeastSquares() {
    }

    /**
     * A fitted model.
     *
     * @param coefficients β_0 … β_deg
     * @param covariance their covariance matrix
     * @param chiSquare Σ ((y − fit)/se)² at the optimum
     * @param degreesOfFreedom points − parameters
     */
    public record Fit(double[] coefficients, double[][] covariance, double chiSquare, int degreesOfFreedom) {
        /**
         * One fitted coefficient.
         *
         * @param j the power of x, 0 … degree
         * @return β_j with its standard error √covariance[j][j]
         */
        public Estimate coefficient(int j) {
            return new Estimate(coefficients[j], Math.sqrt(covariance[j][j]));
        }

        /**
         * Evaluates the fit (Horner's scheme).
         *
         * @param x the abscissa
         * @return Σ_j β_j x^j
         */
        public double at(double x) {
            double s = 0;
            for (int j = coefficients.length - 1; j >= 0; j--) {
                s = s * x + coefficients[j];
            }
            return s;
        }
    }

    /**
     * Fits a polynomial of the given degree.
     *
     * @param x abscissae, finite
     * @param y ordinates, finite, same length
     * @param se standard errors of y, finite and > 0, same length
     * @param degree 0 … 3, and fewer than the number of points
     * @return the coefficients, their covariance (XᵀWX)⁻¹, χ² and points − (degree + 1) degrees of freedom
     * @throws IllegalArgumentException when the degree is out of range, the lengths differ, there are too
     *     few points, a point is not finite or has se ≤ 0, or the design is singular
     */
    public static Fit polynomial(double[] x, double[] y, double[] se, int degree) {
        if (degree < 0 || degree > 3) {
            throw new IllegalArgumentException("degree must be in 0..3, got " + degree);
        }
        int n = x.length;
        if (y.length != n || se.length != n) {
            throw new IllegalArgumentException("x, y and se differ in length: " + n + ", " + y.length + ", " + se.length);
        }
        int p = degree + 1;
        if (n < p) {
            throw new IllegalArgumentException("a degree-" + degree + " fit needs at least " + p + " points, got " + n);
        }
        double[][] a = new double[p][p];
        double[] rhs = new double[p];
        for (int k = 0; k < n; k++) {
            if (!(se[k] > 0) || !Double.isFinite(se[k]) || !Double.isFinite(x[k]) || !Double.isFinite(y[k])) {
                throw new IllegalArgumentException("point " + k + " is not usable: x = " + x[k] + ", y = " + y[k]
                        + ", se = " + se[k] + " (need finite values and se > 0)");
            }
            double w = 1.0 / (se[k] * se[k]);
            double[] f = powers(x[k], p);
            for (int i = 0; i < p; i++) {
                rhs[i] += w * f[i] * y[k];
                for (int j = 0; j < p; j++) {
                    a[i][j] += w * f[i] * f[j];
                }
            }
        }
        double[][] cov = invert(a);
        double[] beta = new double[p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                beta[i] += cov[i][j] * rhs[j];
            }
        }
        Fit fit = new Fit(beta, cov, 0, n - p);
        double chi2 = 0;
        for (int k = 0; k < n; k++) {
            double r = (y[k] - fit.at(x[k])) / se[k];
            chi2 += r * r;
        }
        return new Fit(beta, cov, chi2, n - p);
    }

    /**
     * Fits the exponent p of y ∝ x^p: a straight line through (ln x, ln y) with the delta-method errors
     * se(ln y) = se(y)/y. Needs y > 0 well resolved (se ≪ y) for the linearisation to hold.
     *
     * @param x abscissae, &gt; 0
     * @param y ordinates, &gt; 0, same length
     * @param se standard errors of y, &gt; 0, same length
     * @return the line; coefficient 1 is the exponent
     * @throws IllegalArgumentException when the lengths differ, an x or y is not &gt; 0, or the fit fails as
     *     {@link #polynomial} does
     */
    public static Fit powerLaw(double[] x, double[] y, double[] se) {
        int n = x.length;
        if (y.length != n || se.length != n) {
            throw new IllegalArgumentException("x, y and se differ in length: " + n + ", " + y.length + ", " + se.length);
        }
        double[] lx = new double[n];
        double[] ly = new double[n];
        double[] ls = new double[n];
        for (int k = 0; k < n; k++) {
            if (!(x[k] > 0) || !(y[k] > 0)) {
                throw new IllegalArgumentException("power-law fit needs x > 0 and y > 0; point " + k + " has x = " + x[k]
                        + ", y = " + y[k]);
            }
            lx[k] = Math.log(x[k]);
            ly[k] = Math.log(y[k]);
            ls[k] = se[k] / y[k];
        }
        return polynomial(lx, ly, ls, 1);
    }

    private static double[] powers(double x, int p) {
        double[] f = new double[p];
        double v = 1;
        for (int i = 0; i < p; i++) {
            f[i] = v;
            v *= x;
        }
        return f;
    }

    /** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan with partial pivoting. */
    static double[][] invert(double[][] m) {
        int p = m.length;
        double[][] a = new double[p][2 * p];
        for (int i = 0; i < p; i++) {
            System.arraycopy(m[i], 0, a[i], 0, p);
            a[i][p + i] = 1;
        }
        for (int c = 0; c < p; c++) {
            int piv = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            if (!(Math.abs(a[piv][c]) > 0)) {
                throw new IllegalArgumentException("least-squares design is singular: give more distinct x values");
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            double inv = 1.0 / a[c][c];
            for (int j = 0; j < 2 * p; j++) {
                a[c][j] *= inv;
            }
            for (int r = 0; r < p; r++) {
                if (r != c && a[r][c] != 0) {
                    double f = a[r][c];
                    for (int j = 0; j < 2 * p; j++) {
                        a[r][j] -= f * a[c][j];
                    }
                }
            }
        }
        double[][] out = new double[p][p];
        for (int i = 0; i < p; i++) {
            System.arraycopy(a[i], p, out[i], 0, p);
        }
        return out;
    }
}
