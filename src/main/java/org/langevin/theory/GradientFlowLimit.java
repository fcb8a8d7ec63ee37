package org.langevin.theory;

/**
 * SGD → gradient flow as η → 0 with N = t/η (docs/theory.md §3 O8), exact for the 1-D quadratic L<sub>i</sub> = ½h(Φ − a<sub>i</sub>)²
 * of O1: gradient flow Φ(t) = ā + (Φ₀ − ā)e<sup>−ht</sup>, SGD mean ā + (Φ₀ − ā)(1 − ηh)<sup>N</sup>, so the mean error
 * is O(η) and the root-mean-square error, dominated by the O1 standard deviation, is O(√η). Stateless, thread-safe.
 */
public final class GradientFlowLimit {

    private GradientFlowLimit() {
    }

    /**
     * Gradient flow dΦ/dt = −h(Φ − a) of ½h(Φ − a)², solved exactly.
     *
     * @param phi0 the start Φ₀, finite
     * @param minimiser a, finite
     * @param curvature h &gt; 0
     * @param t the time, ≥ 0
     * @return Φ(t) = a + (Φ₀ − a)e<sup>−ht</sup>
     * @throws IllegalArgumentException when an argument is outside its range (or not finite)
     */
    public static double quadraticFlow(double phi0, double minimiser, double curvature, double t) {
        Checks.finite(phi0, "phi0");
        Checks.finite(minimiser, "minimiser a");
        Checks.positive(curvature, "curvature h");
        Checks.nonNegative(t, "time t");
        return minimiser + (phi0 - minimiser) * Math.exp(-curvature * t);
    }

    /**
     * Exact mean error E Φ<sub>N</sub> − Φ(t) at t = Nη for O1's SGD: (Φ₀ − ā)((1 − ηh)<sup>N</sup> − e<sup>−hNη</sup>),
     * ≈ −(Φ₀ − ā)(h²t/2)e<sup>−ht</sup>·η for small η.
     *
     * @param problem the O1 problem (h, ā, s²)
     * @param phi0 the deterministic start Φ₀ of SGD and the flow
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2
     * @param steps N ≥ 0; the flow is taken at t = Nη
     * @return E Φ<sub>N</sub> − Φ(Nη)
     * @throws IllegalArgumentException when η is not in the stable range, Φ₀ is not finite or N is negative
     */
    public static double sgdMeanError(QuadraticSgd1D problem, double phi0, double eta, long steps) {
        double flow = quadraticFlow(phi0, problem.meanTarget(), problem.curvature(), eta * steps);
        return problem.transientMean(phi0, eta, steps) - flow;
    }

    /**
     * Exact root-mean-square error against gradient flow at t = Nη.
     *
     * @param problem the O1 problem (h, ā, s²)
     * @param phi0 the deterministic start Φ₀
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2
     * @param kappa the batch factor κ in [0, 1] ({@link BatchNoise})
     * @param steps N ≥ 0
     * @return √((E Φ<sub>N</sub> − Φ(Nη))² + Var Φ<sub>N</sub>), O(√η) as η → 0 at fixed t
     * @throws IllegalArgumentException when η is not in the stable range, κ is outside [0, 1], Φ₀ is not
     *     finite or N is negative
     */
    public static double sgdRmsError(QuadraticSgd1D problem, double phi0, double eta, double kappa, long steps) {
        double m = sgdMeanError(problem, phi0, eta, steps);
        return Math.sqrt(m * m + problem.transientVariance(eta, kappa, steps));
    }
}
