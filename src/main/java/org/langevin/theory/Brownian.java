package org.langevin.theory;

/**
 * Moments of Brownian motion z(t) = z(0) + σW(t) (docs/theory.md §3 O7): exact at any step Δt because increments are
 * exactly Gaussian. Stateless and thread-safe.
 */
public final class Brownian {

    private Brownian() {
    }

    /**
     * Var z(t) = σ²t (O7), exact for the simulated chain at every Δt.
     *
     * @param sigma σ ≥ 0, the noise scale per √time
     * @param t the time t = NΔt ≥ 0
     * @return σ²t
     * @throws IllegalArgumentException when σ or t is negative, infinite or NaN
     */
    public static double variance(double sigma, double t) {
        Checks.nonNegative(sigma, "sigma");
        Checks.nonNegative(t, "time t");
        return sigma * sigma * t;
    }

    /**
     * E (z(t) − z(0))⁴ = 3σ⁴t² (O7): the fourth moment of the Gaussian increment N(0, σ²t).
     *
     * @param sigma σ ≥ 0, the noise scale per √time
     * @param t the time t = NΔt ≥ 0
     * @return 3σ⁴t²
     * @throws IllegalArgumentException when σ or t is negative, infinite or NaN
     */
    public static double fourthMoment(double sigma, double t) {
        double v = variance(sigma, t);
        return 3 * v * v;
    }
}
