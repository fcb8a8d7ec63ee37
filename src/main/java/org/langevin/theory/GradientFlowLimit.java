package org.langevin.theory;

/**
 * SGD → gradient flow as η → 0 with N = t/η (docs/theory.md §3 O8), exact for the 1-D quadratic L<sub>i</sub> = ½h(Φ − a<sub>i</sub>)²
 * of O1: gradient flow Φ(t) = ā + (Φ₀ − ā)e<sup>−ht</sup>, SGD mean ā + (Φ₀ − ā)(1 − ηh)<sup>N</sup>, so the mean error
 * is O(η) and the root-mean-square error, dominated by the O1 standard deviation, is O(√η). Stateless, thread-safe.
 */
public final class GradientFlowLimit {

    private GradientFlowLimit() {
    }

    /** Gradient flow of ½h(Φ − a)² at time t ≥ 0: a + (Φ₀ − a)e<sup>−ht</sup>. */
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
     */
    public static double sgdMeanError(QuadraticSgd1D problem, double phi0, double eta, long steps) {
        double flow = quadraticFlow(phi0, problem.meanTarget(), problem.curvature(), eta * steps);
        return problem.transientMean(phi0, eta, steps) - flow;
    }

    /** Exact root-mean-square error √(mean error² + Var Φ<sub>N</sub>) against gradient flow at t = Nη. */
    public static double sgdRmsError(QuadraticSgd1D problem, double phi0, double eta, double kappa, long steps) {
        double m = sgdMeanError(problem, phi0, eta, steps);
        return Math.sqrt(m * m + problem.transientVariance(eta, kappa, steps));
    }
}
