package org.langevin.linalg;

import org.ejml.simple.SimpleMatrix;

/**
 * Stationary covariances of linear SDEs dX = −A X dt + B dW (THEORY.md O4): the continuous
 * Lyapunov equation A C + C Aᵀ = Q and its Euler–Maruyama version A C + C Aᵀ − Δt A C Aᵀ = Q,
 * Q = B Bᵀ, solved as a d²×d² linear system. Stateless and thread-safe.
 */
public final class Lyapunov {
    private Lyapunov() {
    }

    /** @return C solving A C + C Aᵀ − Δt A C Aᵀ = Q (Δt = 0: the continuous equation) */
    public static double[][] eulerMaruyama(double[][] a, double[][] q, double dt) {
        int d = a.length;
        SimpleMatrix am = new SimpleMatrix(a);
        SimpleMatrix id = SimpleMatrix.identity(d);
        // vec(A C) = (I⊗A) vec C, vec(C Aᵀ) = (A⊗I) vec C, vec(A C Aᵀ) = (A⊗A) vec C (column-major vec).
        SimpleMatrix op = id.kron(am).plus(am.kron(id)).minus(am.kron(am).scale(dt));
        SimpleMatrix vq = new SimpleMatrix(d * d, 1);
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                vq.set(j * d + i, 0, q[i][j]);
            }
        }
        if (!(Math.abs(op.determinant()) > 0)) {
            throw new IllegalArgumentException("no stationary covariance: the Lyapunov operator is singular "
                    + "(A has a zero eigenvalue or Δt·λ = 2)");
        }
        SimpleMatrix vc = op.solve(vq);
        double[][] c = new double[d][d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                c[i][j] = vc.get(j * d + i, 0);
            }
        }
        return c;
    }
}
