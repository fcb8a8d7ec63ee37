package org.langevin.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Stationary covariances of linear stochastic dynamics (docs/theory.md §3 O4): Lyapunov equations solved as
 * d²×d² linear systems in row-major vectorisation (vec(X C Yᵀ) = (X⊗Y) vec C). Meant for d up to about 30.
 *
 * <p>Sign convention: dX = −AX dt + B dW, with the diffusion matrix G = BBᵀ given directly.
 * Stateless and thread-safe.
 */
public final class Lyapunov {

    private Lyapunov() {
    }

    /**
     * True when every eigenvalue of A has a positive real part (relative to the largest), i.e. when
     * dX = −AX dt + B dW, and its Euler–Maruyama chain at a small enough Δt, have a stationary law. A
     * singular positive semi-definite A (a flat direction of a quadratic loss) has none.
     *
     * @param a the drift matrix A (d×d, finite)
     * @return true when min Re λ(A) &gt; 1e-12 · max |λ(A)|
     * @throws IllegalArgumentException if A is not square and finite
     * @throws ArithmeticException      if the eigenvalue iteration does not converge
     */
    public static boolean hasStationaryLaw(double[][] a) {
        Matrices.requireSquare(a, "A");
        double minRe = Double.POSITIVE_INFINITY;
        double scale = 0;
        for (double[] z : Matrices.eigenvalues(a, "A")) {
            minRe = Math.min(minRe, z[0]);
            scale = Math.max(scale, Math.hypot(z[0], z[1]));
        }
        return minRe > 1e-12 * scale;
    }

    /**
     * Stationary covariance of the Euler–Maruyama chain X ← (I − Δt A)X + √Δt Bε:
     * C = (I−ΔtA)C(I−ΔtA)ᵀ + Δt G, i.e. (dividing by Δt)
     * A C + C Aᵀ − Δt A C Aᵀ = G.
     *
     * @param a         drift matrix A (d×d)
     * @param diffusion G = BBᵀ (d×d symmetric)
     * @param dt        step Δt &gt; 0 (same time unit as 1/A)
     * @return the fresh symmetric d×d stationary covariance C of the chain
     * @throws IllegalArgumentException if the matrices are not square, finite and of one size, G is not
     *         symmetric, Δt is not positive and finite, A has an eigenvalue with real part ≤ 0 (no Δt helps),
     *         or the chain is unstable (ρ(I − ΔtA) ≥ 1; the message names Δt)
     */
    public static double[][] eulerMaruyamaStationary(double[][] a, double[][] diffusion, double dt) {
        int d = check(a, diffusion);
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new IllegalArgumentException("time step dt must be positive and finite, got " + dt);
        }
        // A smaller dt helps only when every eigenvalue of A has a positive real part (then |1 − dt λ| < 1
        // for dt small enough); otherwise no dt gives a stationary law, and "reduce dt" would mislead.
        if (!hasStationaryLaw(a)) {
            throw new IllegalArgumentException("A has an eigenvalue with real part <= 0, so the Euler-Maruyama chain "
                    + "X <- (I - dt A)X + sqrt(dt) B eps has no stationary law at any dt");
        }
        double[][] p = Matrices.linear(1.0, Matrices.identity(d), -dt, a);
        double rho = Matrices.spectralRadius(p, "I - dt A");
        if (!(rho < 1)) {
            throw new IllegalArgumentException("time step dt = " + dt + " makes Euler-Maruyama unstable: spectral "
                    + "radius of I - dt A is " + rho + " >= 1; reduce dt");
        }
        return solve(a, diffusion, dt, d);
    }

    /**
     * Continuous Lyapunov equation A C + C Aᵀ = G: the stationary covariance of dX = −AX dt + B dW.
     *
     * @param a         drift matrix A (d×d)
     * @param diffusion G = BBᵀ (d×d symmetric)
     * @return the fresh symmetric d×d solution C
     * @throws IllegalArgumentException if the matrices are not square, finite and of one size, G is not
     *         symmetric, or some eigenvalue of A has real part ≤ 0 (no stationary law)
     */
    public static double[][] continuous(double[][] a, double[][] diffusion) {
        int d = check(a, diffusion);
        for (double[] z : Matrices.eigenvalues(a, "A")) {
            if (!(z[0] > 0)) {
                throw new IllegalArgumentException("A has an eigenvalue with real part " + z[0]
                        + " <= 0, so dX = -AX dt + B dW has no stationary law");
            }
        }
        return solve(a, diffusion, 0.0, d);
    }

    /**
     * Discrete Lyapunov (Stein) equation C = P C Pᵀ + Q: the stationary covariance of the linear chain
     * X ← P X + ξ with noise covariance Cov ξ = Q.
     *
     * @param p the transition matrix P (d×d)
     * @param q the per-step noise covariance Q (d×d symmetric)
     * @return the fresh symmetric d×d solution C
     * @throws IllegalArgumentException if the matrices are not square, finite and of one size, Q is not
     *         symmetric, or ρ(P) ≥ 1
     */
    public static double[][] discrete(double[][] p, double[][] q) {
        int d = check(p, q);
        double rho = Matrices.spectralRadius(p, "P");
        if (!(rho < 1)) {
            throw new IllegalArgumentException("P has spectral radius " + rho + " >= 1: C = P C P^T + Q has no "
                    + "stationary solution");
        }
        DMatrixRMaj m = new DMatrixRMaj(d * d, d * d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                int row = i * d + j;
                for (int k = 0; k < d; k++) {
                    for (int l = 0; l < d; l++) {
                        m.data[row * d * d + k * d + l] = (row == k * d + l ? 1.0 : 0.0) - p[i][k] * p[j][l];
                    }
                }
            }
        }
        return finish(m, q, d, "I - P (x) P");
    }

    private static int check(double[][] a, double[][] g) {
        int d = Matrices.requireSquare(a, "A");
        if (Matrices.requireSymmetric(g, "G = B B^T") != d) {
            throw new IllegalArgumentException("G = B B^T must be " + d + "x" + d);
        }
        return d;
    }

    /** Solves (A⊗I + I⊗A − Δt A⊗A) vec C = vec G. */
    private static double[][] solve(double[][] a, double[][] g, double dt, int d) {
        DMatrixRMaj m = new DMatrixRMaj(d * d, d * d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                int row = i * d + j;
                for (int k = 0; k < d; k++) {
                    for (int l = 0; l < d; l++) {
                        double v = -dt * a[i][k] * a[j][l];
                        if (j == l) {
                            v += a[i][k];
                        }
                        if (i == k) {
                            v += a[j][l];
                        }
                        m.data[row * d * d + k * d + l] = v;
                    }
                }
            }
        }
        return finish(m, g, d, "Lyapunov operator");
    }

    private static double[][] finish(DMatrixRMaj m, double[][] g, int d, String name) {
        DMatrixRMaj rhs = new DMatrixRMaj(d * d, 1);
        for (int i = 0; i < d; i++) {
            System.arraycopy(g[i], 0, rhs.data, i * d, d);
        }
        DMatrixRMaj v = Matrices.luSolve(m, rhs, name);
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                c[i][j] = 0.5 * (v.data[i * d + j] + v.data[j * d + i]);
            }
        }
        return c;
    }
}
