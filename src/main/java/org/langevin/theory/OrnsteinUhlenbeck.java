package org.langevin.theory;

/**
 * The Ornstein–Uhlenbeck process dX = −θ(X − μ)dt + s dW (docs/theory.md §3 O4, one-dimensional; the multivariate
 * Euler–Maruyama equation is {@code org.langevin.linalg.Lyapunov#eulerMaruyamaStationary}).
 *
 * <p>Exact transition over Δt: N(μ + (X − μ)e<sup>−θΔt</sup>, s²(1 − e<sup>−2θΔt</sup>)/(2θ)); stationary law
 * N(μ, s²/(2θ)). Euler–Maruyama X ← X − θ(X−μ)Δt + s√Δt ε has stationary variance V = s²/(θ(2 − θΔt)), from
 * V = (1−θΔt)²V + s²Δt, for 0 &lt; θΔt &lt; 2.
 *
 * @param theta reversion rate θ &gt; 0 (1/time)
 * @param mu    mean μ
 * @param s     noise amplitude s ≥ 0 (units of X per √time)
 */
public record OrnsteinUhlenbeck(double theta, double mu, double s) {

    /**
     * Validates the parameters.
     *
     * @param theta reversion rate θ, positive and finite
     * @param mu mean μ, finite
     * @param s noise amplitude s, ≥ 0 and finite
     * @throws IllegalArgumentException when a parameter is outside its range
     */
    public OrnsteinUhlenbeck {
        Checks.positive(theta, "reversion rate theta");
        Checks.finite(mu, "mean mu");
        Checks.nonNegative(s, "noise amplitude s");
    }

    /**
     * Mean of the exact transition (O4).
     *
     * @param x the state X(t), finite
     * @param dt the time step Δt ≥ 0
     * @return E[X(t + Δt) | X(t) = x] = μ + (x − μ)e<sup>−θΔt</sup>
     * @throws IllegalArgumentException when x is not finite or Δt is negative or not finite
     */
    public double transitionMean(double x, double dt) {
        Checks.finite(x, "x");
        Checks.nonNegative(dt, "time step dt");
        return mu + (x - mu) * Math.exp(-theta * dt);
    }

    /**
     * Variance of the exact transition (O4), independent of X(t); computed with expm1, accurate for small Δt.
     *
     * @param dt the time step Δt ≥ 0
     * @return Var[X(t + Δt) | X(t)] = s²(1 − e<sup>−2θΔt</sup>)/(2θ)
     * @throws IllegalArgumentException when Δt is negative or not finite
     */
    public double transitionVariance(double dt) {
        Checks.nonNegative(dt, "time step dt");
        return -s * s * Math.expm1(-2 * theta * dt) / (2 * theta);
    }

    /** @return the continuous-time stationary variance s²/(2θ) (also the Leimkuhler–Matthews chain's, O11) */
    public double stationaryVariance() {
        return s * s / (2 * theta);
    }

    /**
     * The stationary variance of the Euler–Maruyama chain, exact for the discrete chain (O4).
     *
     * @param dt the time step Δt, 0 &lt; θΔt &lt; 2
     * @return V = s²/(θ(2 − θΔt)), above s²/(2θ) by a bias O(Δt)
     * @throws IllegalArgumentException when Δt is not positive or θΔt ≥ 2 (the chain is unstable)
     */
    public double eulerMaruyamaStationaryVariance(double dt) {
        Checks.positive(dt, "time step dt");
        double td = theta * dt;
        if (!(td < 2)) {
            throw new IllegalArgumentException("time step dt = " + dt + " makes Euler-Maruyama unstable: theta*dt = "
                    + td + " >= 2; use dt < " + 2 / theta);
        }
        return s * s / (theta * (2 - td));
    }
}
