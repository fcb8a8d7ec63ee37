package org.langevin.linalg;

/** Cholesky factors of symmetric matrices in double. Stateless and thread-safe. */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * Lower-triangular S with S Sᵀ = A for a symmetric positive semi-definite A: a pivot that is not
     * positive (within 1e-12 of the diagonal's scale) gives a zero column, so a singular covariance
     * yields noise only in the directions it has.
     *
     * @param a the symmetric positive semi-definite d×d matrix A (only its lower triangle and diagonal are read)
     * @return a fresh d×d lower-triangular S with S Sᵀ = A, zeros above the diagonal and in the columns of
     *         non-positive pivots
     * @throws IllegalArgumentException when A is not square, not finite, or clearly indefinite
     */
    public static double[][] lowerSemiDefinite(double[][] a) {
        int d = a.length;
        double scale = 0;
        for (int i = 0; i < d; i++) {
            if (a[i].length != d) {
                throw new IllegalArgumentException("Cholesky: matrix is not square (" + d + " rows, row " + (i + 1)
                        + " has " + a[i].length + " values)");
            }
            for (double v : a[i]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("Cholesky: matrix has a non-finite entry " + v);
                }
            }
            scale = Math.max(scale, Math.abs(a[i][i]));
        }
        double tol = 1e-12 * Math.max(scale, Double.MIN_NORMAL);
        double[][] s = new double[d][d];
        for (int j = 0; j < d; j++) {
            double v = a[j][j];
            for (int m = 0; m < j; m++) {
                v -= s[j][m] * s[j][m];
            }
            if (v < -1e-9 * Math.max(scale, Double.MIN_NORMAL)) {
                throw new IllegalArgumentException("Cholesky: matrix is not positive semi-definite (pivot " + (j + 1)
                        + " = " + v + ")");
            }
            if (v <= tol) {
                continue;
            }
            double sjj = Math.sqrt(v);
            s[j][j] = sjj;
            for (int i = j + 1; i < d; i++) {
                double w = a[i][j];
                for (int m = 0; m < j; m++) {
                    w -= s[i][m] * s[j][m];
                }
                s[i][j] = w / sjj;
            }
        }
        return s;
    }
}
