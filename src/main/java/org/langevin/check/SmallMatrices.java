package org.langevin.check;

/**
 * Dense double-precision algebra for the checks' small oracles (d ≤ 4): products, Cholesky, inverse, and
 * the discrete Lyapunov equation C = M C Mᵀ + Q solved exactly as the d²×d² linear system
 * (I − M⊗M) vec C = vec Q. Independent of the linalg package on purpose, so each check's oracle is a
 * second implementation of THEORY.md. Stateless and thread-safe.
 */
final class SmallMatrices {
    private SmallMatrices() {
    }

    static double[][] identity(int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            a[i][i] = 1;
        }
        return a;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int l = 0; l < k; l++) {
                    s += a[i][l] * b[l][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** @return a + s·b */
    static double[][] plus(double[][] a, double s, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + s * b[i][j];
            }
        }
        return c;
    }

    static double[] times(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += a[i][j] * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    static double trace(double[][] a) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i][i];
        }
        return s;
    }

    static double[][] inverse(double[][] a) {
        return LeastSquares.invert(a);
    }

    /** @return the solution x of A x = b */
    static double[] solve(double[][] a, double[] b) {
        return times(inverse(a), b);
    }

    /** @return lower-triangular L with L Lᵀ = a (a symmetric positive definite) */
    static double[][] cholesky(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + " = " + s + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    /**
     * Solves the linear fixed point vec C = T vec C + vec Q for a d×d matrix C, T given as a d²×d² matrix
     * acting on row-major vec.
     */
    static double[][] fixedPoint(double[][] t, double[][] q) {
        int d = q.length;
        int n = d * d;
        double[][] a = new double[n][n];
        double[] b = new double[n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                a[r][c] = (r == c ? 1 : 0) - t[r][c];
            }
            b[r] = q[r / d][r % d];
        }
        double[] v = solve(a, b);
        double[][] c = new double[d][d];
        for (int r = 0; r < n; r++) {
            c[r / d][r % d] = v[r];
        }
        return c;
    }

    /** @return the d²×d² matrix of X ↦ A X Bᵀ on row-major vec (the Kronecker product A⊗B) */
    static double[][] kron(double[][] a, double[][] b) {
        int d = a.length;
        double[][] k = new double[d * d][d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int l = 0; l < d; l++) {
                    for (int m = 0; m < d; m++) {
                        // (A X Bᵀ)_ij = Σ_lm A_il X_lm B_jm
                        k[i * d + j][l * d + m] = a[i][l] * b[j][m];
                    }
                }
            }
        }
        return k;
    }

    /** @return C solving C = M C Mᵀ + Q */
    static double[][] discreteLyapunov(double[][] m, double[][] q) {
        return fixedPoint(kron(m, m), q);
    }

    /** @return C solving A C + C Aᵀ = Q */
    static double[][] continuousLyapunov(double[][] a, double[][] q) {
        int d = a.length;
        double[][] l = plus(kron(a, identity(d)), 1, kron(identity(d), a));
        double[][] t = plus(identity(d * d), -1, l);
        return fixedPoint(t, q);
    }

    /** @return the eigenvalues of a symmetric matrix by cyclic Jacobi rotations (ascending) */
    static double[] symmetricEigenvalues(double[][] m) {
        int d = m.length;
        double[][] a = new double[d][];
        for (int i = 0; i < d; i++) {
            a[i] = m[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < d; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - sn * akq;
                        a[k][q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - sn * aqk;
                        a[q][k] = sn * apk + c * aqk;
                    }
                }
            }
        }
        double[] ev = new double[d];
        for (int i = 0; i < d; i++) {
            ev[i] = a[i][i];
        }
        java.util.Arrays.sort(ev);
        return ev;
    }

    /**
     * THEORY.md O2 for linear regression with per-example Hessians A_i = x_i x_iᵀ/s²: the stationary
     * covariance C of Φ − Φ* under SGD solves
     * C = (I−ηH)C(I−ηH) + η²κ E[(A_i−H)C(A_i−H)] + η²κ Σ(Φ*).
     *
     * @param x features, n rows of d (as the kernels read them)
     * @param s2 noise variance s²
     * @param noise Σ(Φ*)
     * @param eta learning rate
     * @param kappa batch factor κ
     * @throws IllegalArgumentException when no stationary state exists (spectral radius ≥ 1)
     */
    static double[][] sgdStationaryCovariance(double[][] x, double s2, double[][] noise, double eta, double kappa) {
        int n = x.length;
        int d = x[0].length;
        double[][][] ai = new double[n][d][d];
        double[][] h = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    ai[i][j][k] = x[i][j] * x[i][k] / s2;
                    h[j][k] += ai[i][j][k] / n;
                }
            }
        }
        double[][] m = plus(identity(d), -eta, h);
        double[][] t = kron(m, m);
        for (int i = 0; i < n; i++) {
            double[][] dev = plus(ai[i], -1, h);
            t = plus(t, eta * eta * kappa / n, kron(dev, dev));
        }
        double rho = powerNorm(t);
        if (!(rho < 1)) {
            throw new IllegalArgumentException("learning rate " + eta + " has no stationary SGD covariance "
                    + "(operator norm estimate " + rho + " >= 1)");
        }
        return fixedPoint(t, plus(new double[d][d], eta * eta * kappa, noise));
    }

    /** @return an estimate of the spectral radius by power iteration (200 steps) */
    private static double powerNorm(double[][] t) {
        int n = t.length;
        double[] v = new double[n];
        java.util.Arrays.fill(v, 1.0 / Math.sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 200; it++) {
            double[] w = times(t, v);
            double norm = 0;
            for (double c : w) {
                norm += c * c;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                return 0;
            }
            for (int i = 0; i < n; i++) {
                v[i] = w[i] / norm;
            }
            lambda = norm;
        }
        return lambda;
    }
}
