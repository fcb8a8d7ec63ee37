package org.langevin.linalg;

import org.ejml.simple.SimpleEVD;
import org.ejml.simple.SimpleMatrix;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;
import org.langevin.model.RunSpec;
import org.langevin.model.TrainingSet;

/**
 * The host-side geometry of a run's loss at its minimiser, in double: Φ*, the Hessian H = ∇²L(Φ*),
 * the per-example gradient-noise covariance Σ(Φ*) (population covariance over the n examples, or of
 * the data rows for the additive-noise SGD of the quadratic and double-well losses), its Cholesky
 * factor and the preconditioners built from it; and the stable-range checks of step sizes.
 * Immutable and thread-safe.
 */
public final class NoiseGeometry {
    private final RunSpec spec;
    private final int d;
    /** XᵀX/(n s²) for linreg (without the prior), else null. */
    private final double[][] dataHessian;
    /** Xᵀy/(n s²) for linreg, else null. */
    private final double[] dataVector;
    /** Φ*, or null when the loss has no unique minimiser computed here (double well). */
    private final double[] minimiser;
    /** ∇²L(Φ*) including the prior, or at the minima ±1 for the double well. */
    private final double[][] hessian;
    /** Σ(Φ*), or null without a training set. */
    private final double[][] noise;
    /** The linear-regression statistics (for the O2 stability operator), else null. */
    private final RegressionStats regression;

    private NoiseGeometry(RunSpec spec) {
        this.spec = spec;
        this.d = spec.dim();
        TrainingSet t = spec.data();
        double prior = spec.hasPrior() ? 1.0 / (spec.examples() * spec.priorVariance()) : 0.0;
        switch (spec.loss()) {
            case QUADRATIC -> {
                dataHessian = null;
                dataVector = null;
                minimiser = spec.quadraticCenter().clone();
                hessian = copy(spec.quadraticMatrix());
                noise = t == null ? null : rowCovariance(t);
                regression = null;
            }
            case DOUBLE_WELL -> {
                dataHessian = null;
                dataVector = null;
                minimiser = null;
                hessian = scaledIdentity(d, 8.0);
                noise = t == null ? null : rowCovariance(t);
                regression = null;
            }
            case LINREG -> {
                RegressionStats g = spec.hasPrior()
                        ? RegressionStats.withPrior(t.features(), t.targets(), d, spec.noiseVariance(), spec.priorVariance())
                        : RegressionStats.of(t.features(), t.targets(), d, spec.noiseVariance());
                hessian = g.hessian();
                double[][] hd = g.hessian();
                for (int j = 0; j < d; j++) {
                    hd[j][j] -= prior;
                }
                dataHessian = hd;
                dataVector = g.linearTerm();
                minimiser = g.phiStar();
                noise = g.noiseCovariance();
                regression = g;
            }
            case LOGISTIC -> {
                LogisticStats g = spec.hasPrior()
                        ? LogisticStats.withPrior(t.features(), t.targets(), d, spec.priorVariance())
                        : LogisticStats.of(t.features(), t.targets(), d);
                dataHessian = null;
                dataVector = null;
                minimiser = g.phiStar();
                hessian = g.hessian();
                noise = g.noiseCovariance();
                regression = null;
            }
            default -> throw new IllegalArgumentException("no geometry for loss " + spec.loss());
        }
    }

    /**
     * Computes the geometry of a run: Φ*, H and Σ(Φ*) for its loss and training set (for linear regression
     * and logistic regression from the data, with the prior when the spec has one).
     *
     * @param spec a validated spec with a loss (quadratic, double well, linreg or logistic)
     * @return the geometry of a validated spec with a loss
     * @throws IllegalArgumentException if the loss has no geometry here, or the regression statistics cannot
     *         be formed from the training set
     */
    public static NoiseGeometry of(RunSpec spec) {
        return new NoiseGeometry(spec);
    }

    /** @return XᵀX/(n s²) (linreg) */
    public double[][] dataHessian() {
        return copy(dataHessian);
    }

    /** @return Xᵀy/(n s²) (linreg) */
    public double[] dataVector() {
        return dataVector.clone();
    }

    /** @return Φ* (quadratic, linreg, logistic) */
    public double[] minimiser() {
        return minimiser == null ? null : minimiser.clone();
    }

    /** @return ∇²L(Φ*) */
    public double[][] hessian() {
        return copy(hessian);
    }

    /** @return Σ(Φ*) */
    public double[][] noise() {
        requireNoise("the gradient-noise covariance");
        return copy(noise);
    }

    /** @return lower-triangular S with S Sᵀ = Σ(Φ*) (a zero column where Σ is singular) */
    public double[][] noiseCholesky() {
        requireNoise("--dynamics sgd-sde");
        return Cholesky.lowerSemiDefinite(noise);
    }

    /** @return Σ(Φ*)⁻¹ */
    public double[][] inverseNoise() {
        requireNoise("--preconditioner inverse-noise");
        SimpleMatrix s = new SimpleMatrix(noise);
        double cond = conditionNumber(noise);
        if (!(cond < 1e12)) {
            throw new IllegalArgumentException("--preconditioner inverse-noise: Σ(Φ*) is singular (condition number "
                    + cond + "); use --preconditioner rmsprop or a training set with noise in every direction");
        }
        return toArray(s.invert());
    }

    /** @return diag(1/σ_k) with σ_k² = Σ(Φ*)_kk */
    public double[][] rmsprop() {
        requireNoise("--preconditioner rmsprop");
        double[][] r = new double[d][d];
        for (int k = 0; k < d; k++) {
            if (!(noise[k][k] > 0)) {
                throw new IllegalArgumentException("--preconditioner rmsprop: coordinate " + (k + 1)
                        + " has no gradient noise (Σ_kk = " + noise[k][k] + ")");
            }
            r[k][k] = 1.0 / Math.sqrt(noise[k][k]);
        }
        return r;
    }

    /**
     * Rejects step sizes beyond the stable range of the linearised dynamics at Φ*: Δt·λ_max(H) &lt; 2 for
     * gradient flow, Langevin and the SGD SDE; for SGD the spectral radius of I − ηDH below 1 and,
     * for linear regression, the mean-square stability of docs/theory.md O2 (the spectral radius of its
     * covariance operator below 1).
     *
     * @param s the run whose step size ({@code --lr} for SGD, {@code --dt} otherwise), dynamics, sampling and
     *          preconditioner are checked; Brownian motion is never rejected
     * @throws IllegalArgumentException naming the value, the limit and the fix
     */
    public void checkStable(RunSpec s) {
        if (s.dynamics() == Dynamics.SGD) {
            double eta = s.schedule().max();
            double[][] dm = switch (s.preconditioner()) {
                case IDENTITY -> scaledIdentity(d, 1.0);
                case DIAGONAL, FULL -> s.preconditionerMatrix();
                case INVERSE_NOISE -> inverseNoise();
                case RMSPROP -> rmsprop();
            };
            SimpleMatrix m = SimpleMatrix.identity(d).minus(new SimpleMatrix(dm).mult(new SimpleMatrix(hessian)).scale(eta));
            double rho = spectralRadius(m);
            if (!(rho < 1) && !contractsOffNullSpace(new SimpleMatrix(dm).mult(new SimpleMatrix(hessian)), eta)) {
                throw new IllegalArgumentException("--lr " + eta + " is beyond the stable range: the linearised SGD map "
                        + "I − ηDH at Φ* has spectral radius " + fmt(rho) + " ≥ 1" + (s.preconditioner() == PreconditionerKind.IDENTITY
                        ? " (need η < 2/λ_max(H) = " + fmt(2 / lambdaMax(hessian)) + ")" : "") + "; lower --lr");
            }
            if (s.loss() == LossKind.LINREG) {
                double r2 = s.dim() > MAX_OPERATOR_DIM ? 0 : SgdStationaryCovariance.forRegression(regression)
                        .spectralRadius(eta, s.sampling().kappa(s.batch(), s.examples()), dm);
                if (!(r2 < 1)) {
                    throw new IllegalArgumentException("--lr " + eta + " is beyond the mean-square stable range of SGD on this"
                            + " linear regression (docs/theory.md O2: the covariance operator has spectral radius " + fmt(r2)
                            + " ≥ 1, so the particles' variance grows without bound); lower --lr");
                }
            }
        } else if (s.dynamics() != Dynamics.BROWNIAN) {
            double lmax = lambdaMax(hessian);
            double dt = s.dt();
            if (!(dt * lmax < 2)) {
                throw new IllegalArgumentException("--dt " + dt + " is beyond the stable range of the Euler step: Δt·λ_max(H) = "
                        + fmt(dt * lmax) + " ≥ 2 at the minimum" + (s.loss() == LossKind.DOUBLE_WELL ? "a ±1 (H = 8)" : "")
                        + "; use --dt below " + fmt(2 / lmax));
            }
        }
    }

    /** Largest d for which the d²×d² mean-square stability operator (O2) is formed. */
    public static final int MAX_OPERATOR_DIM = 16;

    /** @return the population covariance (1/n) Σ (x_i − x̄)(x_i − x̄)ᵀ of the data rows */
    static double[][] rowCovariance(TrainingSet t) {
        int n = t.n();
        int d = t.d();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += t.x(i, j) / (double) n;
            }
        }
        double[][] c = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    c[j][k] += (t.x(i, j) - mean[j]) * (t.x(i, k) - mean[k]) / n;
                }
            }
        }
        return c;
    }

    private void requireNoise(String what) {
        if (noise == null) {
            throw new IllegalArgumentException(what + " needs a training set (--data or --synthetic)");
        }
    }

    /**
     * True when every eigenvalue μ of DH that is not zero (relative to the largest) satisfies |1 − ημ| < 1:
     * the radius ρ ≥ 1 then comes only from directions where the loss is flat (a singular quadratic A),
     * along which SGD neither contracts nor diverges, so lowering η would not change it. Throws with the
     * right advice when some eigenvalue has a real part ≤ 0 (no η makes SGD contract there).
     */
    private static boolean contractsOffNullSpace(SimpleMatrix dh, double eta) {
        double[][] ev = Matrices.eigenvalues(Matrices.fromEjml(dh.getDDRM()), "D H");
        double scale = 0;
        for (double[] z : ev) {
            scale = Math.max(scale, Math.hypot(z[0], z[1]));
        }
        boolean ok = true;
        for (double[] z : ev) {
            if (!(Math.hypot(z[0], z[1]) > 1e-12 * scale)) {
                continue;
            }
            if (!(z[0] > 0)) {
                throw new IllegalArgumentException("the linearised SGD map I − ηDH at Φ* has an eigenvalue of DH with real "
                        + "part " + fmt(z[0]) + " ≤ 0, so SGD does not contract at any --lr");
            }
            ok &= Math.hypot(1 - eta * z[0], eta * z[1]) < 1;
        }
        return ok;
    }

    static double lambdaMax(double[][] sym) {
        SimpleEVD<SimpleMatrix> evd = new SimpleMatrix(sym).eig();
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < evd.getNumberOfEigenvalues(); i++) {
            m = Math.max(m, evd.getEigenvalue(i).getReal());
        }
        return m;
    }

    static double spectralRadius(SimpleMatrix m) {
        SimpleEVD<SimpleMatrix> evd = m.eig();
        double r = 0;
        for (int i = 0; i < evd.getNumberOfEigenvalues(); i++) {
            r = Math.max(r, evd.getEigenvalue(i).getMagnitude());
        }
        return r;
    }

    private static double conditionNumber(double[][] sym) {
        SimpleEVD<SimpleMatrix> evd = new SimpleMatrix(sym).eig();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int i = 0; i < evd.getNumberOfEigenvalues(); i++) {
            double v = Math.abs(evd.getEigenvalue(i).getReal());
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return lo > 0 ? hi / lo : Double.POSITIVE_INFINITY;
    }

    static double[][] toArray(SimpleMatrix m) {
        double[][] a = new double[m.getNumRows()][m.getNumCols()];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                a[i][j] = m.get(i, j);
            }
        }
        return a;
    }

    static double[][] copy(double[][] a) {
        if (a == null) {
            return null;
        }
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static double[][] scaledIdentity(int d, double v) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            a[i][i] = v;
        }
        return a;
    }

    private static String fmt(double v) {
        return String.format("%.6g", v);
    }
}
