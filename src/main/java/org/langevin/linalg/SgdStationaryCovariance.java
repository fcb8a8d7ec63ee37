package org.langevin.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Exact stationary covariance of discrete-time SGD on a quadratic loss (docs/theory.md §3 O2, generalised to a
 * preconditioner D).
 *
 * <h2>Model</h2>
 * Per-example gradients are affine, ∇L_i(Φ) = A_ie + g_i with e = Φ − Φ*,
 * H = E_iA_i, E_ig_i = 0, Σ = E_i[g_ig_iᵀ] (linear regression, any
 * quadratic loss). One step is Φ ← Φ − ηDĝ, ĝ the mean of the per-example gradients of a
 * batch of B examples drawn independently of the past.
 *
 * <h2>Derivation</h2>
 * Write ĝ = He + ξ with ξ = (1/B)Σ<sub>j∈batch</sub>u_j, u_j = (A_j−H)e + g_j.
 * Given e, the u_j over the n examples have mean 0, so E[ξ|e] = 0 and E[ξξᵀ|e] = κ·E_j[u_ju_jᵀ]
 * (κ = 1/B with replacement, (n−B)/(B(n−1)) for B distinct examples: the finite-population factor).
 * Then e' = Pe − ηDξ with P = I − ηDH, and the cross term vanishes:
 * <pre>
 *   E[e'e'ᵀ] = P C Pᵀ + η²κ E_j[K_j C K_jᵀ] + η²κ DΣDᵀ
 *                 + η²κ D E_j[(A_j−H) m g_jᵀ + g_jmᵀ(A_j−H)] Dᵀ,      K_j = D(A_j − H),
 * </pre>
 * with C = E[eeᵀ] and m = E e. The mean obeys m' = Pm, so at stationarity (and from any start at Φ*) m = 0
 * and the last term drops. The stationary C therefore solves the generalised O2 equation
 * <pre>
 *   C = (I−ηDH) C (I−ηDH)ᵀ + η²κ E[(DA_i−DH) C (DA_i−DH)ᵀ] + η²κ DΣDᵀ,
 * </pre>
 * which for D = I, κ = 1/B and linear regression without prior is docs/theory.md O2 with S = Σ(Φ*).
 * In row-major vectorisation (vec(X Y Zᵀ) = (X⊗Z) vec Y) it is the d²×d² system
 * (I − M) vec C = η²κ vec(DΣDᵀ), M = P⊗P + η²κ(D⊗D)Q, Q = E[(A_i−H)⊗(A_i−H)].
 * M is a positive map on symmetric matrices, so its spectral radius ρ is attained on the positive-semidefinite
 * cone; a stationary second moment exists iff ρ &lt; 1, and then C = lim of the recursion from any start.
 * The excess loss is E L − L* = ½tr(HC) (exact: L is quadratic and m = 0).
 *
 * <p>Cost: Q is built once in O(n d⁴); each solve is O(d) and each spectral radius a d²×d²
 * nonsymmetric eigenproblem, so this is meant for d up to about 20.
 *
 * <p>Immutable and thread-safe.
 */
public final class SgdStationaryCovariance {

    /**
     * Result of a solve.
     *
     * @param covariance     the stationary covariance C of Φ − Φ* (d×d symmetric, in units of Φ²)
     * @param spectralRadius the spectral radius ρ &lt; 1 of the second-moment operator M(η)
     * @param excessLoss     the stationary excess loss E L − L* = ½tr(HC)
     */
    public record Result(double[][] covariance, double spectralRadius, double excessLoss) {
    }

    /** Dimension d. */
    private final int d;
    /** H. */
    private final double[][] hessian;
    /** Q = E[(A_i − H)⊗(A_i − H)], d²×d². */
    private final DMatrixRMaj fluctuation;
    /** Σ = E[g_i g_iᵀ]. */
    private final double[][] noise;

    private SgdStationaryCovariance(double[][] hessian, DMatrixRMaj fluctuation, double[][] noise) {
        this.d = hessian.length;
        this.hessian = hessian;
        this.fluctuation = fluctuation;
        this.noise = noise;
    }

    /**
     * The linear-regression problem of {@code stats} (A_i = x_ix_iᵀ/s² + I/(nτ²),
     * Σ = Σ(Φ*)).
     *
     * @param stats the regression statistics (training set, noise variance and prior)
     * @return the problem with its fluctuation operator Q = E[(A_i − H)⊗(A_i − H)] built once, O(n d⁴)
     */
    public static SgdStationaryCovariance forRegression(RegressionStats stats) {
        double[][] x = stats.inputs();
        int n = x.length;
        int d = x[0].length;
        double s2 = stats.noiseVariance();
        double[][] hData = stats.hessian();
        double ridge = stats.hasPrior() ? 1.0 / (n * stats.priorVariance()) : 0.0;
        for (int a = 0; a < d; a++) {
            hData[a][a] -= ridge; // A_i - H does not depend on the prior
        }
        double[][] centred = new double[d][d];
        DMatrixRMaj q = new DMatrixRMaj(d * d, d * d);
        for (double[] xi : x) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    centred[a][b] = xi[a] * xi[b] / s2 - hData[a][b];
                }
            }
            addKron(q, centred, centred);
        }
        CommonOps_DDRM.scale(1.0 / n, q);
        return new SgdStationaryCovariance(stats.hessian(), q, stats.noiseCovariance());
    }

    /**
     * A problem given by its per-example Hessians A_i (each symmetric d×d; H is their mean) and the
     * gradient-noise covariance Σ at the minimiser.
     *
     * @param perExampleHessians the n per-example Hessians A_i, each symmetric d×d, n ≥ 1
     * @param noiseCovariance    Σ, symmetric d×d
     * @return the problem with H = E_iA_i and Q = E[(A_i − H)⊗(A_i − H)]
     * @throws IllegalArgumentException if there are no A_i, or some A_i or Σ is not finite, symmetric and d×d
     */
    public static SgdStationaryCovariance forHessians(double[][][] perExampleHessians, double[][] noiseCovariance) {
        if (perExampleHessians == null || perExampleHessians.length == 0) {
            throw new IllegalArgumentException("perExampleHessians is null or empty; give at least one A_i");
        }
        int n = perExampleHessians.length;
        int d = Matrices.requireSymmetric(perExampleHessians[0], "A_0");
        double[][] h = new double[d][d];
        for (int i = 0; i < n; i++) {
            if (Matrices.requireSymmetric(perExampleHessians[i], "A_" + i) != d) {
                throw new IllegalArgumentException("A_" + i + " is not " + d + "x" + d);
            }
            h = Matrices.add(h, perExampleHessians[i]);
        }
        for (double[] row : h) {
            for (int b = 0; b < d; b++) {
                row[b] /= n;
            }
        }
        DMatrixRMaj q = new DMatrixRMaj(d * d, d * d);
        for (double[][] a : perExampleHessians) {
            double[][] k = Matrices.linear(1.0, a, -1.0, h);
            addKron(q, k, k);
        }
        CommonOps_DDRM.scale(1.0 / n, q);
        return new SgdStationaryCovariance(h, q, checkedNoise(noiseCovariance, d));
    }

    /**
     * A problem whose per-example Hessians all equal H (additive gradient noise only: Q = 0), e.g. docs/theory.md O1 or the
     * separable problems of docs/theory.md §2.
     *
     * @param h               the Hessian H, symmetric d×d
     * @param noiseCovariance Σ, symmetric d×d
     * @return the problem with Q = 0 (inputs are copied)
     * @throws IllegalArgumentException if H or Σ is not finite, symmetric and d×d
     */
    public static SgdStationaryCovariance forConstantHessian(double[][] h, double[][] noiseCovariance) {
        int d = Matrices.requireSymmetric(h, "H");
        return new SgdStationaryCovariance(Matrices.copy(h), new DMatrixRMaj(d * d, d * d),
                checkedNoise(noiseCovariance, d));
    }

    private static double[][] checkedNoise(double[][] s, int d) {
        if (Matrices.requireSymmetric(s, "Sigma") != d) {
            throw new IllegalArgumentException("Sigma must be " + d + "x" + d + ", got " + s.length + "x" + s.length);
        }
        return Matrices.copy(s);
    }

    /** q += a ⊗ b (row-major Kronecker: (a⊗b)[(i d + j),(k d + l)] = a[i][k] b[j][l]). */
    private static void addKron(DMatrixRMaj q, double[][] a, double[][] b) {
        int d = a.length;
        int dd = d * d;
        double[] data = q.data;
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    int base = (i * d + j) * dd + k * d;
                    double[] bj = b[j];
                    for (int l = 0; l < d; l++) {
                        data[base + l] += aik * bj[l];
                    }
                }
            }
        }
    }

    private static DMatrixRMaj kron(double[][] a, double[][] b) {
        int d = a.length;
        DMatrixRMaj r = new DMatrixRMaj(d * d, d * d);
        addKron(r, a, b);
        return r;
    }

    /**
     * Dimension d of Φ.
     *
     * @return d ≥ 1
     */
    public int dimension() {
        return d;
    }

    /**
     * The mean Hessian H = E_iA_i.
     *
     * @return a fresh d×d copy of H
     */
    public double[][] hessian() {
        return Matrices.copy(hessian);
    }

    /**
     * Σ, the gradient-noise covariance at the minimiser.
     *
     * @return a fresh d×d copy of Σ
     */
    public double[][] noiseCovariance() {
        return Matrices.copy(noise);
    }

    private double[][] preconditioner(double[][] dMatrix) {
        if (dMatrix == null) {
            return Matrices.identity(d);
        }
        if (Matrices.requireSquare(dMatrix, "D") != d) {
            throw new IllegalArgumentException("preconditioner D must be " + d + "x" + d + ", got "
                    + dMatrix.length + "x" + dMatrix[0].length);
        }
        return dMatrix;
    }

    private static void checkRates(double eta, double kappa) {
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("learning rate eta must be positive and finite, got " + eta);
        }
        if (!(kappa >= 0) || !(kappa <= 1)) {
            throw new IllegalArgumentException("batch factor kappa must be in [0, 1], got " + kappa
                    + "; use 1/B with replacement or (n-B)/(B(n-1)) without");
        }
    }

    /** The operator M(η) on row-major vec C. */
    private DMatrixRMaj operator(double eta, double kappa, double[][] dm) {
        double[][] p = Matrices.linear(1.0, Matrices.identity(d), -eta, Matrices.multiply(dm, hessian));
        DMatrixRMaj m = kron(p, p);
        if (kappa > 0) {
            DMatrixRMaj dd = kron(dm, dm);
            DMatrixRMaj noisePart = new DMatrixRMaj(d * d, d * d);
            CommonOps_DDRM.mult(eta * eta * kappa, dd, fluctuation, noisePart);
            CommonOps_DDRM.addEquals(m, noisePart);
        }
        return m;
    }

    /**
     * Spectral radius of the second-moment operator M(η) (stationary state exists iff &lt; 1).
     *
     * @param eta            learning rate &gt; 0
     * @param kappa          batch factor in [0, 1] (see class comment)
     * @param preconditioner D (d×d), or null for I
     * @return ρ(M(η)) ≥ 0 for P = I − ηDH, M = P⊗P + η²κ(D⊗D)Q
     * @throws IllegalArgumentException if η or κ is out of range, or D is not a finite d×d matrix
     */
    public double spectralRadius(double eta, double kappa, double[][] preconditioner) {
        checkRates(eta, kappa);
        return Matrices.spectralRadius(operator(eta, kappa, preconditioner(preconditioner)), "SGD covariance operator");
    }

    /**
     * {@link #solve(double, double, double[][])} with D = I (docs/theory.md O2 exactly).
     *
     * @param eta   learning rate &gt; 0 (units of 1/H)
     * @param kappa batch factor in [0, 1]
     * @return the stationary covariance, the operator's spectral radius and the excess loss
     * @throws IllegalArgumentException if η or κ is out of range, or η is beyond the stable range
     */
    public Result solve(double eta, double kappa) {
        return solve(eta, kappa, null);
    }

    /**
     * The stationary covariance of Φ − Φ* under SGD with preconditioner D.
     *
     * @param eta            learning rate &gt; 0 (units of 1/H)
     * @param kappa          batch factor in [0, 1]
     * @param preconditioner D (d×d), or null for I
     * @return the stationary covariance, the operator's spectral radius and the excess loss ½tr(HC)
     * @throws IllegalArgumentException if η or κ is out of range, D is not a finite d×d matrix, or the
     *                                  operator's spectral radius is ≥ 1: η is beyond the stable range
     *                                  (the message names η and the largest stable rate)
     */
    public Result solve(double eta, double kappa, double[][] preconditioner) {
        checkRates(eta, kappa);
        double[][] dm = preconditioner(preconditioner);
        DMatrixRMaj m = operator(eta, kappa, dm);
        double rho = Matrices.spectralRadius(m, "SGD covariance operator");
        if (!(rho < 1)) {
            throw new IllegalArgumentException("learning rate eta = " + eta + " is beyond the stable range: the SGD "
                    + "covariance operator has spectral radius " + rho + " >= 1, so no stationary state exists; "
                    + "use eta < " + maxStableLearningRate(kappa, dm));
        }
        double[][] rhs = Matrices.congruence(dm, noise);
        DMatrixRMaj system = CommonOps_DDRM.identity(d * d);
        CommonOps_DDRM.subtractEquals(system, m);
        DMatrixRMaj q = new DMatrixRMaj(d * d, 1);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q.data[i * d + j] = eta * eta * kappa * rhs[i][j];
            }
        }
        DMatrixRMaj v = Matrices.luSolve(system, q, "I - M (SGD covariance operator)");
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                c[i][j] = 0.5 * (v.data[i * d + j] + v.data[j * d + i]);
            }
        }
        double excess = 0.5 * Matrices.trace(Matrices.multiply(hessian, c));
        return new Result(c, rho, excess);
    }

    /**
     * One step of the covariance recursion C → M(η)C + η²κDΣDᵀ (the exact second moment of
     * Φ − Φ* after one more step, for a start with EΦ = Φ*), for transients and schedules.
     *
     * @param c              the current second moment C of Φ − Φ*, symmetric d×d
     * @param eta            learning rate of this step, &gt; 0
     * @param kappa          batch factor in [0, 1]
     * @param preconditioner D (d×d), or null for I
     * @return the fresh symmetric d×d second moment after the step (no stability is required)
     * @throws IllegalArgumentException if η or κ is out of range, or C or D is not a finite d×d matrix
     */
    public double[][] step(double[][] c, double eta, double kappa, double[][] preconditioner) {
        checkRates(eta, kappa);
        if (Matrices.requireSymmetric(c, "C") != d) {
            throw new IllegalArgumentException("C must be " + d + "x" + d);
        }
        double[][] dm = preconditioner(preconditioner);
        DMatrixRMaj m = operator(eta, kappa, dm);
        DMatrixRMaj v = new DMatrixRMaj(d * d, 1);
        for (int i = 0; i < d; i++) {
            System.arraycopy(c[i], 0, v.data, i * d, d);
        }
        DMatrixRMaj out = new DMatrixRMaj(d * d, 1);
        CommonOps_DDRM.mult(m, v, out);
        double[][] rhs = Matrices.congruence(dm, noise);
        double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                r[i][j] = 0.5 * (out.data[i * d + j] + out.data[j * d + i]) + eta * eta * kappa * rhs[i][j];
            }
        }
        return r;
    }

    /**
     * The largest learning rate with a stationary state: the boundary ρ(M(η)) = 1 of the stable interval
     * (0, η_max), found by bisection to relative accuracy 1e-12 (the value returned is stable).
     * Bracket: η = 2/ρ(DH) is unstable whenever DH has a real largest eigenvalue, since M dominates P⊗P;
     * otherwise it is doubled until unstable. Assumes the stable set is an interval starting at 0, as it is for
     * symmetric positive-definite D and H.
     *
     * @param kappa          batch factor in [0, 1]
     * @param preconditioner D, or null for I
     * @return η_max, the largest learning rate found with ρ(M(η)) &lt; 1, in units of 1/H
     * @throws IllegalArgumentException if κ is out of range, or D is not a finite d×d matrix
     * @throws ArithmeticException if DH has spectral radius 0, or no unstable or no stable rate can be bracketed
     */
    public double maxStableLearningRate(double kappa, double[][] preconditioner) {
        checkRates(1.0, kappa);
        double[][] dm = preconditioner(preconditioner);
        double rhoDH = Matrices.spectralRadius(Matrices.multiply(dm, hessian), "D H");
        if (!(rhoDH > 0)) {
            throw new ArithmeticException("D H is nilpotent (spectral radius 0): every learning rate is marginal");
        }
        double hi = 2.0 / rhoDH;
        int guard = 0;
        while (radius(hi, kappa, dm) < 1) {
            hi *= 2;
            if (++guard > 60) {
                throw new ArithmeticException("no unstable learning rate found up to " + hi);
            }
        }
        double lo = hi;
        guard = 0;
        do {
            lo *= 0.5;
            if (++guard > 200) {
                throw new ArithmeticException("no stable learning rate found down to " + lo);
            }
        } while (!(radius(lo, kappa, dm) < 1));
        while (hi - lo > 1e-12 * hi) {
            double mid = 0.5 * (lo + hi);
            if (radius(mid, kappa, dm) < 1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private double radius(double eta, double kappa, double[][] dm) {
        return Matrices.spectralRadius(operator(eta, kappa, dm), "SGD covariance operator");
    }
}
