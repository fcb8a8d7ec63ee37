package org.langevin.theory;

/**
 * Moments of Brownian motion z(t) = z(0) + σW(t) (docs/theory.md §3 O7): exact at any step Δt because increments are
 * exactly Gaussian. Stateless and thread-safe.
 */
public final class Brownian {

    private Brownian() {
    }

    /** Var z(t) = σ²t (σ ≥ 0 per √time, t ≥ 0). */
    public static double variance(double sigma, double t) {
        Checks.nonNegative(sigma, "sigma");
        Checks.nonNegative(t, "time t");
        return sigma * sigma * t;
    }

    /** E (z(t) − z(0))⁴ = 3σ⁴t². */
    public static double fourthMoment(double sigma, double t) {
        double v = variance(sigma, t);
        return 3 * v * v;
    }
}
