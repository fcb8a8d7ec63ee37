package org.langevin.theory;

/**
 * Underdamped Langevin dq = p dt, dp = −ω²q dt − γp dt + √(2γT) dW on the harmonic potential ½ω²q²
 * (docs/theory.md §3 O12), with the stationary laws of its two discretisations at step h:
 * <ul>
 *   <li>BAOAB (B: p ← p − (h/2)ω²q; A: q ← q + (h/2)p; O: p ← c₁p + c₃ξ, c₁ = e^{−γh},
 *       c₃ = √((1 − c₁²)T)): Var q = T/ω² exactly at every stable step (hω &lt; 2), Var p = T(1 − h²ω²/4)
 *       (Leimkuhler &amp; Matthews 2013);</li>
 *   <li>Euler–Maruyama (q′ = q + hp, p′ = p − hω²q − hγp + √(2γTh)ξ): biased; its exact stationary
 *       covariance is the 2×2 Lyapunov solve of the chain ({@link LinearChain2}).</li>
 * </ul>
 * Both are linear chains z′ = A z + b ξ in z = (q, p); {@link #baoabCovariance} solves BAOAB's the same
 * way, which tests the closed forms. Thread-safe (immutable).
 *
 * @param omega ω &gt; 0
 * @param friction γ &gt; 0
 * @param temperature T &gt; 0 (σ²/2)
 */
public record UnderdampedHarmonic(double omega, double friction, double temperature) {

    /**
     * Validates the parameters.
     *
     * @param omega ω, positive and finite
     * @param friction γ, positive and finite
     * @param temperature T, positive and finite
     * @throws IllegalArgumentException when a parameter is outside its range
     */
    public UnderdampedHarmonic {
        Checks.positive(omega, "omega");
        Checks.positive(friction, "friction gamma");
        Checks.positive(temperature, "temperature T");
    }

    /** @return the continuous-time (and BAOAB, at every stable step) configurational variance Var q = T/ω² */
    public double configurationalVariance() {
        return temperature / (omega * omega);
    }

    /**
     * BAOAB's stationary momentum variance (O12), below the continuous-time T.
     *
     * @param h the step, 0 &lt; hω &lt; 2
     * @return Var p = T(1 − h²ω²/4)
     * @throws IllegalArgumentException when h is not positive or hω ≥ 2
     */
    public double baoabMomentumVariance(double h) {
        requireBaoabStable(h);
        return temperature * (1 - h * h * omega * omega / 4);
    }

    /**
     * Checks that BAOAB has a stationary state at this step.
     *
     * @param h the step, &gt; 0
     * @throws IllegalArgumentException naming the stable range hω &lt; 2 (or when h is not positive)
     */
    public void requireBaoabStable(double h) {
        Checks.positive(h, "step h");
        if (!(h * omega < 2)) {
            throw new IllegalArgumentException("step dt = " + h + " is beyond BAOAB's stable range on this harmonic "
                    + "potential: dt*omega = " + h * omega + " >= 2; use dt < " + 2 / omega);
        }
    }

    /**
     * BAOAB's stationary covariance by the Lyapunov solve of its chain A = B·A·O·A·B (a cross-check of
     * {@link #configurationalVariance()} and {@link #baoabMomentumVariance}, which it matches to 10⁻¹⁰).
     *
     * @param h the step, 0 &lt; hω &lt; 2
     * @return BAOAB's exact stationary {Var q, Cov(q, p), Var p}
     * @throws IllegalArgumentException when h is not positive or hω ≥ 2
     */
    public double[] baoabCovariance(double h) {
        requireBaoabStable(h);
        double w2 = omega * omega;
        double c1 = Math.exp(-friction * h);
        double c3 = Math.sqrt((1 - c1 * c1) * temperature);
        double[][] kick = {{1, 0}, {-h / 2 * w2, 1}};
        double[][] drift = {{1, h / 2}, {0, 1}};
        double[][] o = {{1, 0}, {0, c1}};
        double[][] ba = LinearChain2.times(kick, drift);
        double[][] a = LinearChain2.times(LinearChain2.times(ba, o), LinearChain2.times(drift, kick));
        double[] b = LinearChain2.times(ba, new double[] {0, c3});
        return LinearChain2.stationaryCovariance(a, b);
    }

    /**
     * Euler–Maruyama's stationary covariance, by the Lyapunov solve of A = [[1, h], [−hω², 1 − γh]],
     * b = (0, √(2γTh)); biased (at ω = γ = 1, T = ½, h = ½, Var q = 1.0769 against T/ω² = ½).
     *
     * @param h the step, &gt; 0
     * @return Euler–Maruyama's exact stationary {Var q, Cov(q, p), Var p}
     * @throws IllegalArgumentException when h is not positive or the chain has no stationary state at h
     */
    public double[] eulerMaruyamaCovariance(double h) {
        Checks.positive(h, "step h");
        double[][] a = {{1, h}, {-h * omega * omega, 1 - friction * h}};
        double[] b = {0, Math.sqrt(2 * friction * temperature * h)};
        return LinearChain2.stationaryCovariance(a, b);
    }
}
