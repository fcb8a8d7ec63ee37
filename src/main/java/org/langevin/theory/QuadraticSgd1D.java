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

    /**
     * Validates the parameters.
     *
     * @param curvature h, positive and finite
     * @param meanTarget ā, finite
     * @param targetVariance s², ≥ 0 and finite
     * @throws IllegalArgumentException when a parameter is outside its range
     */
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

    /** @return the stationary mean ā (exact at every stable η: the step is linear and unbiased) */
    public double stationaryMean() {
        return meanTarget;
    }

    /**
     * The stationary variance (O1).
     *
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2
     * @param kappa the batch factor κ in [0, 1] ({@link BatchNoise})
     * @return V = ηhs²κ/(2 − ηh)
     * @throws IllegalArgumentException when ηh is not in (0, 2) or κ is outside [0, 1]
     */
    public double stationaryVariance(double eta, double kappa) {
        double eh = stableProduct(eta);
        return eh * targetVariance * Checks.kappa(kappa) / (2 - eh);
    }

    /**
     * The stationary excess loss (O1), L the mean of the L<sub>i</sub>.
     *
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2
     * @param kappa the batch factor κ in [0, 1]
     * @return E L − L* = ½hV = ηh²s²κ/(2(2 − ηh))
     * @throws IllegalArgumentException when ηh is not in (0, 2) or κ is outside [0, 1]
     */
    public double stationaryExcessLoss(double eta, double kappa) {
        return 0.5 * curvature * stationaryVariance(eta, kappa);
    }

    /**
     * The mean after N steps from Φ₀ (O1).
     *
     * @param phi0 the start Φ₀, finite
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2
     * @param steps N ≥ 0
     * @return E Φ<sub>N</sub> = ā + (Φ₀ − ā)(1 − ηh)<sup>N</sup>
     * @throws IllegalArgumentException when ηh is not in (0, 2), Φ₀ is not finite or N is negative
     */
    public double transientMean(double phi0, double eta, long steps) {
        double eh = stableProduct(eta);
        Checks.finite(phi0, "initial value phi0");
        return meanTarget + (phi0 - meanTarget) * Math.pow(1 - eh, Checks.steps(steps));
    }

    /**
     * The variance after N steps from a deterministic Φ₀ (O1); it does not depend on Φ₀.
     *
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2
     * @param kappa the batch factor κ in [0, 1]
     * @param steps N ≥ 0
     * @return Var Φ<sub>N</sub> = ηhs²κ(1 − (1−ηh)<sup>2N</sup>)/(2 − ηh) (0 at N = 0)
     * @throws IllegalArgumentException when ηh is not in (0, 2), κ is outside [0, 1] or N is negative
     */
    public double transientVariance(double eta, double kappa, long steps) {
        double eh = stableProduct(eta);
        double decay = Math.pow(1 - eh, 2.0 * Checks.steps(steps));
        return eh * targetVariance * Checks.kappa(kappa) * (1 - decay) / (2 - eh);
    }
}
