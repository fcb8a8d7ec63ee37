package org.langevin.theory;

/**
 * The stationary covariance of a two-dimensional linear chain z′ = A z + b ξ with ξ ~ N(0, 1) (or any
 * zero-mean unit-variance noise independent of z): the solution C of the discrete Lyapunov equation
 * C = A C Aᵀ + b bᵀ, written as the 3×3 linear system for (C₁₁, C₁₂, C₂₂) and solved exactly
 * (Gaussian elimination with partial pivoting). A stationary state exists iff the spectral radius of A
 * is below 1, which is checked first. Used for the momentum chain of O9 and the underdamped chains of
 * O12 (docs/theory.md). Thread-safe (stateless).
 */
public final class LinearChain2 {
    private LinearChain2() {
    }

    /**
     * The largest modulus of the eigenvalues of a 2×2 matrix, from its trace and determinant (√det for
     * a complex pair).
     *
     * @param a the matrix, {@code a[row][column]}
     * @return the spectral radius of a
     */
    public static double spectralRadius(double[][] a) {
        double tr = a[0][0] + a[1][1];
        double det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        double disc = tr * tr / 4 - det;
        if (disc >= 0) {
            double r = Math.sqrt(disc);
            return Math.max(Math.abs(tr / 2 + r), Math.abs(tr / 2 - r));
        }
        return Math.sqrt(det); // complex pair: |λ|² = det
    }

    /**
     * @param a the 2×2 transition matrix, spectral radius &lt; 1
     * @param b the noise loading (length 2)
     * @return {C₁₁, C₁₂, C₂₂}
     * @throws IllegalArgumentException when the chain has no stationary state
     */
    public static double[] stationaryCovariance(double[][] a, double[] b) {
        double rho = spectralRadius(a);
        if (!(rho < 1)) {
            throw new IllegalArgumentException("the chain has no stationary state: the spectral radius of its "
                    + "transition matrix is " + rho + " >= 1");
        }
        double a11 = a[0][0];
        double a12 = a[0][1];
        double a21 = a[1][0];
        double a22 = a[1][1];
        double[][] m = {
            {1 - a11 * a11, -2 * a11 * a12, -a12 * a12, b[0] * b[0]},
            {-a11 * a21, 1 - (a11 * a22 + a12 * a21), -a12 * a22, b[0] * b[1]},
            {-a21 * a21, -2 * a21 * a22, 1 - a22 * a22, b[1] * b[1]},
        };
        for (int c = 0; c < 3; c++) {
            int piv = c;
            for (int r = c + 1; r < 3; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = c + 1; r < 3; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < 4; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] x = new double[3];
        for (int r = 2; r >= 0; r--) {
            double s = m[r][3];
            for (int k = r + 1; k < 3; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    /** @return the product p·q of 2×2 matrices */
    static double[][] times(double[][] p, double[][] q) {
        return new double[][] {
            {p[0][0] * q[0][0] + p[0][1] * q[1][0], p[0][0] * q[0][1] + p[0][1] * q[1][1]},
            {p[1][0] * q[0][0] + p[1][1] * q[1][0], p[1][0] * q[0][1] + p[1][1] * q[1][1]},
        };
    }

    /** @return p·v */
    static double[] times(double[][] p, double[] v) {
        return new double[] {p[0][0] * v[0] + p[0][1] * v[1], p[1][0] * v[0] + p[1][1] * v[1]};
    }
}
