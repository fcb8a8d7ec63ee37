package org.langevin.linalg;

/**
 * Logistic regression at its minimiser, found by damped Newton's method (docs/theory.md §1 built-in loss).
 *
 * <p>Labels y<sub>i</sub> ∈ {−1, +1}; per-example loss, with an equal share of an optional prior N(0, τ²I),
 * <pre>
 *   L_i(Φ) = log(1 + exp(−y_i x_iᵀΦ)) + ‖Φ‖² / (2nτ²),     L = (1/n) Σ_i L_i.
 * </pre>
 * With z<sub>i</sub> = y<sub>i</sub>x<sub>i</sub>ᵀΦ and σ(t) = 1/(1+e<sup>−t</sup>):
 * ∇L<sub>i</sub> = −y<sub>i</sub>σ(−z<sub>i</sub>)x<sub>i</sub> + Φ/(nτ²),
 * ∇²L<sub>i</sub> = σ(z<sub>i</sub>)σ(−z<sub>i</sub>)x<sub>i</sub>x<sub>i</sub>ᵀ + I/(nτ²).
 *
 * <p>Newton's method starts at Φ = 0 with Armijo backtracking and stops when a full Newton step is below
 * {@value #STEP_TOLERANCE} (relative to max(1, ‖Φ‖<sub>∞</sub>)). If it does not stop within
 * {@value #MAX_ITERATIONS} iterations, or the Hessian at the end is singular to working precision, the minimiser is
 * at infinity or ill-defined (typically linearly separable data without a prior) and the constructor throws.
 *
 * <p>Immutable and thread-safe; accessors return fresh copies.
 */
public final class LogisticStats {

    /** Largest number of Newton iterations. */
    public static final int MAX_ITERATIONS = 100;
    /** Convergence threshold on the sup-norm of the full Newton step, relative to max(1, |Φ|). */
    public static final double STEP_TOLERANCE = 1e-12;
    /** Smallest acceptable ratio of smallest to largest Hessian eigenvalue at the minimiser. */
    private static final double MIN_CONDITION_RATIO = 1e-12;

    /** Inputs. */
    private final double[][] x;
    /** Labels ±1. */
    private final double[] y;
    /** Prior variance or +∞. */
    private final double priorVariance;
    /** Minimiser. */
    private final double[] phiStar;
    /** Hessian at the minimiser. */
    private final double[][] hessian;
    /** Per-example gradients at the minimiser (prior share included). */
    private final double[][] gradients;
    /** Gradient-noise covariance at the minimiser. */
    private final double[][] noiseCovariance;
    /** Newton iterations used. */
    private final int iterations;

    private LogisticStats(double[][] x, double[] y, double priorVariance) {
        this.x = x;
        this.y = y;
        this.priorVariance = priorVariance;
        int d = x[0].length;
        double[] phi = new double[d];
        int it = 0;
        boolean converged = false;
        String hint = " (the data may be linearly separable, so the minimiser is at infinity; "
                + "add --prior-variance)";
        while (it < MAX_ITERATIONS && !converged) {
            it++;
            double[] g = gradient(phi);
            double[][] h = hessianAt(phi);
            double[] step;
            try {
                step = Matrices.solve(h, g, "logistic Hessian");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Newton's method for logistic regression met a singular Hessian "
                        + "at iteration " + it + hint, e);
            }
            double stepNorm = 0;
            double phiNorm = 1;
            double slope = 0;
            for (int k = 0; k < d; k++) {
                stepNorm = Math.max(stepNorm, Math.abs(step[k]));
                phiNorm = Math.max(phiNorm, Math.abs(phi[k]));
                slope += g[k] * step[k];
            }
            converged = stepNorm <= STEP_TOLERANCE * phiNorm;
            double l0 = loss(phi);
            double t = 1.0;
            double[] trial = new double[d];
            // Near the minimum the predicted decrease slope/2 falls below the loss's rounding, so a line
            // search can only stall; there (deep in Newton's quadratic region) take the full step.
            boolean fullStep = converged || slope <= 1e-12 * Math.max(1.0, Math.abs(l0));
            for (int back = 0; back < 60; back++) {
                for (int k = 0; k < d; k++) {
                    trial[k] = phi[k] - t * step[k];
                }
                if (fullStep || loss(trial) <= l0 - 1e-4 * t * slope) {
                    break;
                }
                t *= 0.5;
            }
            phi = trial;
        }
        if (!converged) {
            throw new IllegalArgumentException("Newton's method for logistic regression did not converge in "
                    + MAX_ITERATIONS + " iterations" + hint);
        }
        phiStar = phi;
        hessian = hessianAt(phi);
        double[] ev = Matrices.symmetricEigenvalues(hessian, "logistic Hessian");
        if (!(ev[0] > MIN_CONDITION_RATIO * ev[d - 1])) {
            throw new IllegalArgumentException("The logistic-regression Hessian at the minimiser is singular to "
                    + "working precision (eigenvalues " + ev[0] + " .. " + ev[d - 1] + ")" + hint);
        }
        iterations = it;
        int n = x.length;
        gradients = new double[n][];
        for (int i = 0; i < n; i++) {
            gradients[i] = exampleGradient(i, phi);
        }
        noiseCovariance = TrainingData.covariance(gradients);
    }

    /**
     * Fits logistic regression without a prior.
     *
     * @param x inputs, n×d row-major, finite
     * @param y labels, each exactly −1 or +1
     * @param d dimension ≥ 1
     * @return the fitted statistics at the minimiser Φ*
     * @throws IllegalArgumentException on bad input, or if Newton's method does not converge or ends at a
     *                                  singular Hessian (message suggests {@code --prior-variance})
     */
    public static LogisticStats of(float[] x, float[] y, int d) {
        double[][] rows = TrainingData.rows(x, y, d);
        return new LogisticStats(rows, labels(y), Double.POSITIVE_INFINITY);
    }

    /**
     * Fits logistic regression with the prior N(0, τ²I) (see the class comment for how it enters L).
     *
     * @param x             inputs, n×d row-major (a flat array of n·d values), finite
     * @param y             labels, each exactly −1 or +1
     * @param d             dimension ≥ 1
     * @param priorVariance τ² &gt; 0 and finite
     * @return the fitted statistics at the minimiser Φ* (the posterior mode)
     * @throws IllegalArgumentException on bad input, or if Newton's method does not converge or ends at a
     *                                  singular Hessian
     */
    public static LogisticStats withPrior(float[] x, float[] y, int d, double priorVariance) {
        double[][] rows = TrainingData.rows(x, y, d);
        TrainingData.requirePositive(priorVariance, "prior variance tau^2");
        return new LogisticStats(rows, labels(y), priorVariance);
    }

    private static double[] labels(float[] y) {
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 1f && y[i] != -1f) {
                throw new IllegalArgumentException("logistic label y[" + i + "] must be -1 or +1, got " + y[i]);
            }
            r[i] = y[i];
        }
        return r;
    }

    private double priorShare() {
        return priorVariance == Double.POSITIVE_INFINITY ? 0.0 : 1.0 / (x.length * priorVariance);
    }

    private double margin(int i, double[] phi) {
        double z = 0;
        for (int k = 0; k < phi.length; k++) {
            z += x[i][k] * phi[k];
        }
        return y[i] * z;
    }

    /** σ(t) = 1/(1+e<sup>−t</sup>) without overflow. */
    private static double sigmoid(double t) {
        if (t >= 0) {
            return 1.0 / (1.0 + Math.exp(-t));
        }
        double e = Math.exp(t);
        return e / (1.0 + e);
    }

    /** log(1 + e<sup>−z</sup>) without overflow. */
    private static double softplusNeg(double z) {
        return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
    }

    /**
     * The loss L(Φ) = (1/n) Σ<sub>i</sub> L<sub>i</sub>(Φ), prior share included.
     *
     * @param phi the parameters Φ, length d
     * @return L(Φ) in nats per example, finite for finite Φ
     * @throws IllegalArgumentException if {@code phi} is null or not of length d
     */
    public double loss(double[] phi) {
        if (phi == null || phi.length != d()) {
            throw new IllegalArgumentException("phi must have length d = " + d());
        }
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += softplusNeg(margin(i, phi));
        }
        double norm2 = 0;
        for (double v : phi) {
            norm2 += v * v;
        }
        return s / x.length + 0.5 * priorShare() * norm2;
    }

    private double[] exampleGradient(int i, double[] phi) {
        double w = -y[i] * sigmoid(-margin(i, phi));
        double[] g = new double[phi.length];
        for (int k = 0; k < phi.length; k++) {
            g[k] = w * x[i][k] + priorShare() * phi[k];
        }
        return g;
    }

    private double[] gradient(double[] phi) {
        double[] g = new double[phi.length];
        for (int i = 0; i < x.length; i++) {
            double[] gi = exampleGradient(i, phi);
            for (int k = 0; k < phi.length; k++) {
                g[k] += gi[k];
            }
        }
        for (int k = 0; k < phi.length; k++) {
            g[k] /= x.length;
        }
        return g;
    }

    private double[][] hessianAt(double[] phi) {
        int d = phi.length;
        double[][] h = new double[d][d];
        for (int i = 0; i < x.length; i++) {
            double z = margin(i, phi);
            double w = sigmoid(z) * sigmoid(-z);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    h[a][b] += w * x[i][a] * x[i][b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                h[a][b] /= x.length;
                h[b][a] = h[a][b];
            }
            h[a][a] += priorShare();
        }
        return h;
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
     * Prior variance τ² of the Gaussian prior N(0, τ²I).
     *
     * @return τ² &gt; 0, or {@code Double.POSITIVE_INFINITY} without a prior
     */
    public double priorVariance() {
        return priorVariance;
    }

    /**
     * Newton iterations the fit used.
     *
     * @return the count, 1 ≤ iterations ≤ {@link #MAX_ITERATIONS}
     */
    public int iterations() {
        return iterations;
    }

    /**
     * The minimiser Φ* of L.
     *
     * @return a fresh copy of Φ*, length d (the posterior mode with a prior)
     */
    public double[] phiStar() {
        return phiStar.clone();
    }

    /**
     * The full-batch gradient ∇L(Φ) at any Φ (for checks; ~0 at Φ*).
     *
     * @param phi the parameters Φ, length d
     * @return a fresh vector ∇L(Φ), length d, prior share included
     * @throws IllegalArgumentException if {@code phi} is null or not of length d
     */
    public double[] gradientAt(double[] phi) {
        if (phi == null || phi.length != d()) {
            throw new IllegalArgumentException("phi must have length d = " + d());
        }
        return gradient(phi);
    }

    /**
     * The Hessian of the loss at the minimiser.
     *
     * @return a fresh d×d copy of H = ∇²L(Φ*), symmetric positive definite
     */
    public double[][] hessian() {
        return Matrices.copy(hessian);
    }

    /**
     * Per-example gradients at the minimiser.
     *
     * @return a fresh n×d array of g<sub>i</sub> = ∇L<sub>i</sub>(Φ*) (prior share included; mean ~0 over i)
     */
    public double[][] perExampleGradients() {
        return Matrices.copy(gradients);
    }

    /**
     * The gradient-noise covariance at the minimiser.
     *
     * @return a fresh d×d copy of Σ(Φ*), the population covariance (divisor n) of the per-example gradients
     */
    public double[][] noiseCovariance() {
        return Matrices.copy(noiseCovariance);
    }

    /**
     * Lower Cholesky factor S of Σ(Φ*), S Sᵀ = Σ (for the SGD SDE).
     *
     * @return a fresh d×d lower-triangular S with positive diagonal
     * @throws IllegalArgumentException if Σ is not positive definite (e.g. n ≤ d)
     */
    public double[][] noiseCholesky() {
        return Matrices.cholesky(noiseCovariance, "Sigma(Phi*)");
    }

    /**
     * The mean squared norm of the per-example gradients at Φ*.
     *
     * @return E<sub>i</sub>‖g<sub>i</sub>‖² = tr Σ(Φ*) + ‖∇L(Φ*)‖² (the last term ~0), ≥ 0
     */
    public double meanSquaredGradientNorm() {
        return TrainingData.meanSquaredNorm(gradients);
    }
}
