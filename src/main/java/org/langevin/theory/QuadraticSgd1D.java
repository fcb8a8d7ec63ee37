package org.langevin.theory;

/**
 * Exact laws of one-dimensional SGD on L<sub>i</sub>(Φ) = ½h(Φ − a<sub>i</sub>)² (docs/theory.md §3 O1).
 *
 * <p>The step Φ ← Φ − ηh(Φ − ā_batch) is linear with a fixed multiplier 1 − ηh, so
 * E Φ<sub>N</sub> = ā + (Φ₀ − ā)(1−ηh)<sup>N</sup> and, from a deterministic Φ₀,
 * Var Φ<sub>N</sub> = V(1 − (1−ηh)<sup>2N</sup>) with V = ηhs²κ/(2 − ηh); the excess loss at stationarity is
 * E L − L* = ½h V. Valid for 0 &lt; ηh &lt; 2.
 *
 * @param curvature       h &gt; 0
 * @param meanTarget      ā, the mean of the a<sub>i</sub>
 * @param targetVariance  s² ≥ 0, the population variance (divisor n) of the a<sub>i</sub>
 */
public record QuadraticSgd1D(double curvature, double meanTarget, double targetVariance) {

    /** Validates the parameters. */
    public QuadraticSgd1D {
        Checks.positive(curvature, "curvature h");
        Checks.finite(meanTarget, "mean target a-bar");
        Checks.nonNegative(targetVariance, "target variance s^2");
    }

    private double stableProduct(double eta) {
        Checks.positive(eta, "learning rate eta");
        double eh = eta * curvature;
        if (!(eh < 2)) {
            throw new IllegalArgumentException("learning rate eta = " + eta + " is beyond the stable range: "
                    + "eta*h = " + eh + " >= 2; use eta < " + 2 / curvature);
        }
        return eh;
    }

    /** Stationary mean ā. */
    public double stationaryMean() {
        return meanTarget;
    }

    /** Stationary variance ηhs²κ/(2 − ηh). */
    public double stationaryVariance(double eta, double kappa) {
        double eh = stableProduct(eta);
        return eh * targetVariance * Checks.kappa(kappa) / (2 - eh);
    }

    /** Stationary excess loss E L − L* = ηh²s²κ/(2(2 − ηh)) (L = mean of the L<sub>i</sub>). */
    public double stationaryExcessLoss(double eta, double kappa) {
        return 0.5 * curvature * stationaryVariance(eta, kappa);
    }

    /** E Φ<sub>N</sub> = ā + (Φ₀ − ā)(1 − ηh)<sup>N</sup>, N ≥ 0 steps. */
    public double transientMean(double phi0, double eta, long steps) {
        double eh = stableProduct(eta);
        Checks.finite(phi0, "initial value phi0");
        return meanTarget + (phi0 - meanTarget) * Math.pow(1 - eh, Checks.steps(steps));
    }

    /** Var Φ<sub>N</sub> = ηhs²κ(1 − (1−ηh)<sup>2N</sup>)/(2 − ηh) from a deterministic Φ₀. */
    public double transientVariance(double eta, double kappa, long steps) {
        double eh = stableProduct(eta);
        double decay = Math.pow(1 - eh, 2.0 * Checks.steps(steps));
        return eh * targetVariance * Checks.kappa(kappa) * (1 - decay) / (2 - eh);
    }
}
