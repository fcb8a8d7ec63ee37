package org.langevin.theory;

import org.langevin.linalg.Matrices;
import org.langevin.linalg.RegressionStats;

/**
 * Bayesian linear regression and its Langevin sampler (docs/theory.md §2 and §3 O5).
 *
 * <p>Prior N(0, τ²I), likelihood y<sub>i</sub> ~ N(x<sub>i</sub>ᵀΦ, s²): posterior N(m<sub>N</sub>, S<sub>N</sub>) with
 * S<sub>N</sub> = (XᵀX/s² + I/τ²)<sup>−1</sup>, m<sub>N</sub> = S<sub>N</sub>Xᵀy/s².
 *
 * <p><b>Langevin covariance under Euler–Maruyama.</b> With L as in {@link RegressionStats} (nL = −log posterior + const)
 * the gradient is ∇L = (1/n)S<sub>N</sub><sup>−1</sup>(Φ − m<sub>N</sub>), so Langevin Φ ← Φ − ∇LΔt + σ√Δt ε is
 * docs/theory.md O4's dX = −AX dt + B dW with A = S<sub>N</sub><sup>−1</sup>/n (the Hessian of L) and BBᵀ = σ²I. The EM
 * equation AC + CAᵀ − ΔtACAᵀ = σ²I has a solution commuting with A: writing P = S<sub>N</sub><sup>−1</sup>,
 * (2/n)PC − (Δt/n²)P²C = σ²I, so
 * <pre>
 *   C = (nσ²/2) · S_N (I − (Δt/2n) S_N⁻¹)⁻¹,
 * </pre>
 * unique because the EM operator is invertible when the chain is stable. With σ² = 2/n this is docs/theory.md's
 * S<sub>N</sub>(I − (Δt/2n)S<sub>N</sub><sup>−1</sup>)<sup>−1</sup>, confirmed; the mean is m<sub>N</sub> exactly (the drift is
 * linear and vanishes there). The chain is stable iff Δt &lt; 2n/λ<sub>max</sub>(S<sub>N</sub><sup>−1</sup>). The notes' σ² = 1/(2n)
 * gives a quarter of this.
 *
 * <p>Immutable and thread-safe.
 */
public final class BayesianLinearRegression {

    /** Number of examples n. */
    private final int n;
    /** Posterior covariance S_N. */
    private final double[][] posteriorCovariance;
    /** Posterior precision S_N⁻¹. */
    private final double[][] posteriorPrecision;
    /** Posterior mean m_N. */
    private final double[] posteriorMean;

    /**
     * @param x             inputs, n×d row-major
     * @param y             targets, length n
     * @param d             dimension ≥ 1
     * @param noiseVariance s² &gt; 0
     * @param priorVariance τ² &gt; 0
     */
    public BayesianLinearRegression(float[] x, float[] y, int d, double noiseVariance, double priorVariance) {
        Checks.positive(noiseVariance, "noise variance s^2");
        Checks.positive(priorVariance, "prior variance tau^2");
        if (x == null || y == null || d < 1 || y.length < 1 || (long) y.length * d != x.length) {
            throw new IllegalArgumentException("x must be n*d row-major inputs with n = y.length >= 1 and d >= 1; got "
                    + "x.length = " + (x == null ? "null" : x.length) + ", y.length = "
                    + (y == null ? "null" : y.length) + ", d = " + d);
        }
        n = y.length;
        double[][] precision = new double[d][d];
        double[] xty = new double[d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double xa = x[i * d + a];
                xty[a] += xa * y[i] / noiseVariance;
                for (int b = 0; b < d; b++) {
                    precision[a][b] += xa * x[i * d + b] / noiseVariance;
                }
            }
        }
        for (int a = 0; a < d; a++) {
            precision[a][a] += 1.0 / priorVariance;
        }
        posteriorPrecision = precision;
        posteriorCovariance = Matrices.inverse(precision, "posterior precision X^T X/s^2 + I/tau^2");
        posteriorMean = Matrices.multiply(posteriorCovariance, xty);
    }

    /** @return the number of examples n (the length of y) */
    public int n() {
        return n;
    }

    /**
     * The posterior covariance (O5).
     *
     * @return S<sub>N</sub> = (XᵀX/s² + I/τ²)<sup>−1</sup>, d×d (a new copy)
     */
    public double[][] posteriorCovariance() {
        return Matrices.copy(posteriorCovariance);
    }

    /**
     * The posterior mean (O5), which is also the exact stationary mean of the Langevin-EM chain.
     *
     * @return m<sub>N</sub> = S<sub>N</sub>Xᵀy/s², length d (a new copy)
     */
    public double[] posteriorMean() {
        return posteriorMean.clone();
    }

    /**
     * Langevin-EM stationary covariance with docs/theory.md's σ² = 2/n (O5, the temperature at which the
     * Langevin law is the posterior).
     *
     * @param dt EM step Δt &gt; 0, below 2n/λ<sub>max</sub>(S<sub>N</sub><sup>−1</sup>)
     * @return S<sub>N</sub>(I − (Δt/2n)S<sub>N</sub><sup>−1</sup>)<sup>−1</sup>, d×d, symmetrised (a new array)
     * @throws IllegalArgumentException if Δt is not positive or makes the chain unstable
     */
    public double[][] langevinCovariance(double dt) {
        return langevinCovariance(2.0 / n, dt);
    }

    /**
     * Langevin-EM stationary covariance for noise variance σ² (see class comment): (nσ²/2)S<sub>N</sub>(I − (Δt/2n)S<sub>N</sub><sup>−1</sup>)<sup>−1</sup>.
     *
     * @param sigma2 σ² &gt; 0 (per unit time)
     * @param dt     EM step Δt &gt; 0, below 2n/λ<sub>max</sub>(S<sub>N</sub><sup>−1</sup>)
     * @return the d×d covariance, symmetrised (a new array)
     * @throws IllegalArgumentException if σ² or Δt is not positive, or Δt makes the chain unstable
     */
    public double[][] langevinCovariance(double sigma2, double dt) {
        Checks.positive(sigma2, "noise variance sigma^2");
        Checks.positive(dt, "time step dt");
        double lmax = Matrices.symmetricEigenvalues(posteriorPrecision, "posterior precision")[posteriorPrecision.length - 1];
        double limit = 2.0 * n / lmax;
        if (!(dt < limit)) {
            throw new IllegalArgumentException("time step dt = " + dt + " makes Langevin Euler-Maruyama unstable; use dt < "
                    + limit + " (= 2n / largest eigenvalue of the posterior precision)");
        }
        int d = posteriorPrecision.length;
        double[][] m = Matrices.linear(1.0, Matrices.identity(d), -dt / (2.0 * n), posteriorPrecision);
        double[][] c = Matrices.multiply(posteriorCovariance, Matrices.inverse(m, "I - (dt/2n) S_N^-1"));
        double scale = n * sigma2 / 2.0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                c[a][b] *= scale;
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                double v = 0.5 * (c[a][b] + c[b][a]);
                c[a][b] = v;
                c[b][a] = v;
            }
        }
        return c;
    }
}
