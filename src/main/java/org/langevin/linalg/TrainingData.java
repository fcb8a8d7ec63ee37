package org.langevin.linalg;

/**
 * Package-private validation and conversion of a training set given as row-major {@code float[]} data.
 * Rows are widened to double once; all sums over examples are accumulated in double.
 */
final class TrainingData {

    private TrainingData() {
    }

    /** Validates the shapes and values and returns X as {@code double[n][d]}. */
    static double[][] rows(float[] x, float[] y, int d) {
        if (!(d >= 1)) {
            throw new IllegalArgumentException("dimension d must be >= 1, got " + d);
        }
        if (x == null || y == null) {
            throw new IllegalArgumentException("training inputs x and labels y must not be null");
        }
        int n = y.length;
        if (n < 1) {
            throw new IllegalArgumentException("training set is empty (y has length 0); give at least one example");
        }
        if ((long) n * d != x.length) {
            throw new IllegalArgumentException("x has length " + x.length + " but n*d = " + n + "*" + d + " = "
                    + ((long) n * d) + "; x must be the n-by-d inputs in row-major order");
        }
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(y[i])) {
                throw new IllegalArgumentException("label y[" + i + "] is not finite: " + y[i]);
            }
            for (int k = 0; k < d; k++) {
                float v = x[i * d + k];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("input x[" + i + "][" + k + "] is not finite: " + v);
                }
                rows[i][k] = v;
            }
        }
        return rows;
    }

    /** Throws unless v &gt; 0 and finite. */
    static double requirePositive(double v, String name) {
        if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
        return v;
    }

    /** Population covariance (divisor n) of the rows of g, centred on their mean (two-pass). */
    static double[][] covariance(double[][] g) {
        int n = g.length;
        int d = g[0].length;
        double[] mean = new double[d];
        for (double[] row : g) {
            for (int k = 0; k < d; k++) {
                mean[k] += row[k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= n;
        }
        double[][] c = new double[d][d];
        double[] dev = new double[d];
        for (double[] row : g) {
            for (int k = 0; k < d; k++) {
                dev[k] = row[k] - mean[k];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    c[a][b] += dev[a] * dev[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                c[a][b] /= n;
                c[b][a] = c[a][b];
            }
        }
        return c;
    }

    /** Mean squared Euclidean norm of the rows. */
    static double meanSquaredNorm(double[][] g) {
        double s = 0;
        for (double[] row : g) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s / g.length;
    }
}
