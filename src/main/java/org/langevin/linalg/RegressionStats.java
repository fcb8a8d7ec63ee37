package org.langevin.linalg;

/**
 * Exact statistics of linear regression with Gaussian noise at its minimiser (docs/theory.md §1 built-in loss, §3 O2, O3, O5).
 *
 * <p>Training set: inputs x<sub>i</sub> ∈ R<sup>d</sup> and targets y<sub>i</sub>, i = 1..n; noise variance
 * s² &gt; 0; optional Gaussian prior N(0, τ²I). The per-example loss carries an equal share of the prior,
 * <pre>
 *   L_i(Φ) = (x_iᵀΦ − y_i)² / (2s²) + ‖Φ‖² / (2nτ²),     L = (1/n) Σ_i L_i,
 * </pre>
 * so that nL is the negative log posterior and L is the mean of the L<sub>i</sub> (docs/theory.md notation).
 * Without a prior the last term is absent (τ² = ∞). Then:
 * <ul>
 *   <li>A<sub>i</sub> = ∇²L<sub>i</sub> = x<sub>i</sub>x<sub>i</sub>ᵀ/s² + I/(nτ²) (per-example Hessian),
 *       H = E<sub>i</sub>A<sub>i</sub> = XᵀX/(ns²) + I/(nτ²);</li>
 *   <li>b = Xᵀy/(ns²), so L(Φ) = ½ΦᵀHΦ − bᵀΦ + const and Φ* = H<sup>−1</sup>b;</li>
 *   <li>residuals r<sub>i</sub> = x<sub>i</sub>ᵀΦ* − y<sub>i</sub>;</li>
 *   <li>per-example gradients at Φ*: g<sub>i</sub> = x<sub>i</sub>r<sub>i</sub>/s² + Φ* / (nτ²), with E<sub>i</sub>g<sub>i</sub> = 0,
 *       and ∇L<sub>i</sub>(Φ) = A<sub>i</sub>(Φ−Φ*) + g<sub>i</sub> exactly;</li>
 *   <li>Σ(Φ*) = E<sub>i</sub>[(g<sub>i</sub>−ḡ)(g<sub>i</sub>−ḡ)ᵀ] (population covariance, divisor n) = E<sub>i</sub>[g<sub>i</sub>g<sub>i</sub>ᵀ];</li>
 *   <li>docs/theory.md O2's S = E[r<sub>i</sub>²A<sub>i</sub>] is written there for s = 1 and no prior. With the scaling above
 *       it becomes the <em>residual moment</em> E<sub>i</sub>[r<sub>i</sub>² x<sub>i</sub>x<sub>i</sub>ᵀ]/s⁴
 *       = E<sub>i</sub>[(r<sub>i</sub>/s)² x<sub>i</sub>x<sub>i</sub>ᵀ/s²]; it equals Σ(Φ*) without a prior and
 *       Σ(Φ*) + ppᵀ with p = Φ* / (nτ²) with one. The O2 solver uses Σ(Φ*), which is the
 *       right noise term in both cases.</li>
 * </ul>
 *
 * <p>Everything is computed once, in double precision, at construction; instances are immutable and thread-safe,
 * and accessors return fresh copies.
 */
public final class RegressionStats {

    /** Inputs as doubles, n rows of d. */
    private final double[][] x;
    /** Targets as doubles. */
    private final double[] y;
    /** Noise variance s². */
    private final double noiseVariance;
    /** Prior variance τ², or +∞ without a prior. */
    private final double priorVariance;
    /** Hessian H. */
    private final double[][] hessian;
    /** Linear term b. */
    private final double[] linearTerm;
    /** Minimiser Φ*. */
    private final double[] phiStar;
    /** Residuals r_i. */
    private final double[] residuals;
    /** Per-example gradients g_i at Φ* (prior share included). */
    private final double[][] gradients;
    /** Gradient-noise covariance Σ(Φ*). */
    private final double[][] noiseCovariance;

    private RegressionStats(double[][] x, double[] y, double noiseVariance, double priorVariance) {
        this.x = x;
        this.y = y;
        this.noiseVariance = noiseVariance;
        this.priorVariance = priorVariance;
        int n = x.length;
        int d = x[0].length;
        double ridge = priorShare();
        hessian = new double[d][d];
        linearTerm = new double[d];
        for (int i = 0; i < n; i++) {
            double[] xi = x[i];
            for (int a = 0; a < d; a++) {
                linearTerm[a] += xi[a] * y[i];
                for (int b = 0; b <= a; b++) {
                    hessian[a][b] += xi[a] * xi[b];
                }
            }
        }
        double scale = 1.0 / (n * noiseVariance);
        for (int a = 0; a < d; a++) {
            linearTerm[a] *= scale;
            for (int b = 0; b <= a; b++) {
                hessian[a][b] *= scale;
                hessian[b][a] = hessian[a][b];
            }
            hessian[a][a] += ridge;
        }
        phiStar = minimise(hessian, linearTerm, priorVariance);
        residuals = new double[n];
        gradients = new double[n][d];
        for (int i = 0; i < n; i++) {
            double r = -y[i];
            for (int a = 0; a < d; a++) {
                r += x[i][a] * phiStar[a];
            }
            residuals[i] = r;
            for (int a = 0; a < d; a++) {
                gradients[i][a] = x[i][a] * r / noiseVariance + ridge * phiStar[a];
            }
        }
        noiseCovariance = TrainingData.covariance(gradients);
    }

    /** Solves HΦ = b with one step of iterative refinement; explains a rank-deficient design. */
    private static double[] minimise(double[][] h, double[] b, double priorVariance) {
        double[] phi;
        try {
            Matrices.cholesky(h, "H"); // throws unless H is positive definite, i.e. X has full column rank
            phi = Matrices.solve(h, b, "H");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The regression Hessian H = X^T X/(n s^2)"
                    + (priorVariance < Double.POSITIVE_INFINITY ? " + I/(n tau^2)" : "")
                    + " is singular: the inputs do not span R^d (too few or collinear examples); "
                    + "add --prior-variance or remove redundant features", e);
        }
        double[] hp = Matrices.multiply(h, phi);
        double[] res = new double[b.length];
        for (int k = 0; k < b.length; k++) {
            res[k] = b[k] - hp[k];
        }
        double[] corr = Matrices.solve(h, res, "H");
        for (int k = 0; k < b.length; k++) {
            phi[k] += corr[k];
        }
        return phi;
    }

    /**
     * Statistics without a prior.
     *
     * @param x             inputs, n×d row-major, finite
     * @param y             targets, length n ≥ 1, finite
     * @param d             dimension ≥ 1
     * @param noiseVariance s² &gt; 0 (same units as y²)
     * @return the statistics, computed once at Φ*
     * @throws IllegalArgumentException on bad shapes/values, or if XᵀX is singular (the message suggests
     *                                  {@code --prior-variance})
     */
    public static RegressionStats of(float[] x, float[] y, int d, double noiseVariance) {
        double[][] rows = TrainingData.rows(x, y, d);
        TrainingData.requirePositive(noiseVariance, "noise variance s^2");
        return new RegressionStats(rows, toDouble(y), noiseVariance, Double.POSITIVE_INFINITY);
    }

    /**
     * Statistics with the Gaussian prior N(0, τ²I) (see the class comment for how it enters L).
     *
     * @param x             inputs, n×d row-major (a flat array of n·d values), finite
     * @param y             targets, length n ≥ 1, finite
     * @param d             dimension ≥ 1
     * @param noiseVariance s² &gt; 0 (same units as y²)
     * @param priorVariance τ² &gt; 0 and finite
     * @return the statistics, computed once at Φ* (the posterior mean)
     * @throws IllegalArgumentException on bad shapes/values, or if H = XᵀX/(ns²) + I/(nτ²) is numerically
     *                                  singular
     */
    public static RegressionStats withPrior(float[] x, float[] y, int d, double noiseVariance, double priorVariance) {
        double[][] rows = TrainingData.rows(x, y, d);
        TrainingData.requirePositive(noiseVariance, "noise variance s^2");
        TrainingData.requirePositive(priorVariance, "prior variance tau^2");
        return new RegressionStats(rows, toDouble(y), noiseVariance, priorVariance);
    }

    private static double[] toDouble(float[] y) {
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            r[i] = y[i];
        }
        return r;
    }

    /** 1/(nτ²), 0 without a prior. */
    private double priorShare() {
        return priorVariance == Double.POSITIVE_INFINITY ? 0.0 : 1.0 / (x.length * priorVariance);
    }

    /**
     * Number of examples n.
     *
     * @return n ≥ 1
     */
    public int n() {
        return x.length;
    }

    /**
     * Dimension d of the inputs and of Φ.
     *
     * @return d ≥ 1
     */
    public int d() {
        return x[0].length;
    }

    /**
     * Noise variance s² of the Gaussian likelihood.
     *
     * @return s² &gt; 0, in units of y²
     */
    public double noiseVariance() {
        return noiseVariance;
    }

    /**
     * Prior variance τ² of the Gaussian prior N(0, τ²I).
     *
     * @return τ² &gt; 0, or {@code Double.POSITIVE_INFINITY} without a prior
     */
    public double priorVariance() {
        return priorVariance;
    }

    /**
     * Whether a prior is included.
     *
     * @return true when these statistics were built by {@link #withPrior}
     */
    public boolean hasPrior() {
        return priorVariance < Double.POSITIVE_INFINITY;
    }

    /**
     * The minimiser Φ* of L.
     *
     * @return a fresh copy of Φ* = H<sup>−1</sup>b, length d (= the posterior mean m<sub>N</sub> with a prior)
     */
    public double[] phiStar() {
        return phiStar.clone();
    }

    /**
     * The Hessian of the loss, constant in Φ.
     *
     * @return a fresh copy of H = ∇²L = XᵀX/(ns²) + I/(nτ²), d×d symmetric positive definite
     */
    public double[][] hessian() {
        return Matrices.copy(hessian);
    }

    /**
     * The linear term of the quadratic loss L(Φ) = ½ΦᵀHΦ − bᵀΦ + const.
     *
     * @return a fresh copy of b = Xᵀy/(ns²), length d, with HΦ* = b
     */
    public double[] linearTerm() {
        return linearTerm.clone();
    }

    /**
     * Residuals at the minimiser.
     *
     * @return a fresh array of r<sub>i</sub> = x<sub>i</sub>ᵀΦ* − y<sub>i</sub>, length n (units of y)
     */
    public double[] residuals() {
        return residuals.clone();
    }

    /**
     * Per-example gradients at the minimiser.
     *
     * @return a fresh n×d array of g<sub>i</sub> = ∇L<sub>i</sub>(Φ*) (prior share included; mean 0 over i)
     */
    public double[][] perExampleGradients() {
        return Matrices.copy(gradients);
    }

    /**
     * The per-example Hessian of one example's loss L<sub>i</sub>.
     *
     * @param i the example's index, 0 ≤ i &lt; n
     * @return a fresh d×d matrix A<sub>i</sub> = x<sub>i</sub>x<sub>i</sub>ᵀ/s² + I/(nτ²)
     * @throws IllegalArgumentException if i is out of range
     */
    public double[][] perExampleHessian(int i) {
        if (i < 0 || i >= x.length) {
            throw new IllegalArgumentException("example index i must be in [0, " + x.length + "), got " + i);
        }
        int d = d();
        double[][] a = new double[d][d];
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                a[p][q] = x[i][p] * x[i][q] / noiseVariance;
            }
            a[p][p] += priorShare();
        }
        return a;
    }

    /**
     * The gradient-noise covariance at the minimiser.
     *
     * @return a fresh d×d copy of Σ(Φ*), the population covariance (divisor n) of the per-example gradients at Φ*
     */
    public double[][] noiseCovariance() {
        return Matrices.copy(noiseCovariance);
    }

    /**
     * Lower Cholesky factor S of Σ(Φ*), S Sᵀ = Σ (for the SGD SDE).
     *
     * @return a fresh d×d lower-triangular S with positive diagonal
     * @throws IllegalArgumentException if Σ is singular (e.g. n ≤ d, or zero residuals)
     */
    public double[][] noiseCholesky() {
        return Matrices.cholesky(noiseCovariance, "Sigma(Phi*)");
    }

    /**
     * The mean squared norm of the per-example gradients at Φ*.
     *
     * @return E<sub>i</sub>‖g<sub>i</sub>‖² = tr Σ(Φ*), ≥ 0 (docs/theory.md O3's slope is a quarter of this)
     */
    public double meanSquaredGradientNorm() {
        return TrainingData.meanSquaredNorm(gradients);
    }

    /**
     * The residual moment (docs/theory.md O2's S; see the class comment).
     *
     * @return a fresh d×d symmetric matrix E<sub>i</sub>[r<sub>i</sub>²x<sub>i</sub>x<sub>i</sub>ᵀ]/s⁴
     */
    public double[][] residualMoment() {
        int d = d();
        double[][] s = new double[d][d];
        for (int i = 0; i < x.length; i++) {
            double w = residuals[i] * residuals[i];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    s[a][b] += w * x[i][a] * x[i][b];
                }
            }
        }
        double scale = 1.0 / (x.length * noiseVariance * noiseVariance);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                s[a][b] *= scale;
                s[b][a] = s[a][b];
            }
        }
        return s;
    }

    /**
     * The loss L(Φ) = (1/n) Σ<sub>i</sub> L<sub>i</sub>(Φ), prior share included.
     *
     * @param phi the parameters Φ, length d
     * @return L(Φ), dimensionless
     * @throws IllegalArgumentException if {@code phi} is null or not of length d
     */
    public double loss(double[] phi) {
        if (phi == null || phi.length != d()) {
            throw new IllegalArgumentException("phi must have length d = " + d());
        }
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double r = -y[i];
            for (int a = 0; a < phi.length; a++) {
                r += x[i][a] * phi[a];
            }
            s += r * r;
        }
        double l = s / (2.0 * x.length * noiseVariance);
        double norm2 = 0;
        for (double v : phi) {
            norm2 += v * v;
        }
        return l + 0.5 * priorShare() * norm2;
    }

    /**
     * The minimum of the loss.
     *
     * @return L* = L(Φ*), dimensionless
     */
    public double minimumLoss() {
        return loss(phiStar);
    }

    /**
     * E<sub>i</sub> E<sub>Φ</sub>‖∇L<sub>i</sub>(Φ)‖² for a fresh example i and Φ − Φ* with mean 0 and
     * covariance c, independent of i: E<sub>i</sub> tr(A<sub>i</sub> c A<sub>i</sub>) + tr Σ(Φ*) (docs/theory.md O3's right-hand side
     * divided by η/4). The cross term vanishes because the mean of Φ − Φ* is 0.
     *
     * @param c a symmetric d×d covariance
     * @return E<sub>i</sub> tr(A<sub>i</sub> c A<sub>i</sub>) + tr Σ(Φ*), ≥ 0 for a positive semi-definite c
     * @throws IllegalArgumentException if {@code c} is not a finite symmetric d×d matrix
     */
    public double meanSquaredGradientNorm(double[][] c) {
        int d = d();
        if (Matrices.requireSymmetric(c, "C") != d) {
            throw new IllegalArgumentException("C must be " + d + "x" + d);
        }
        double p = priorShare();
        double s2 = noiseVariance;
        double trC = Matrices.trace(c);
        double sum = 0;
        for (double[] xi : x) {
            // A = u u^T + pI with u = x/s: tr(A C A) = |u|^2 u^T C u + 2p u^T C u + p^2 tr C.
            double norm2 = 0;
            double quad = 0;
            for (int a = 0; a < d; a++) {
                norm2 += xi[a] * xi[a];
                double row = 0;
                for (int b = 0; b < d; b++) {
                    row += c[a][b] * xi[b];
                }
                quad += xi[a] * row;
            }
            sum += (norm2 / s2 + 2 * p) * quad / s2 + p * p * trC;
        }
        return sum / x.length + Matrices.trace(noiseCovariance);
    }

    /** Inputs as doubles (package-private, not copied; callers must not modify). */
    double[][] inputs() {
        return x;
    }
}
