package org.langevin.theory;

/**
 * Heavy-ball SGD (PyTorch's convention v ← μv + ĝ, Φ ← Φ − ηv) on the one-dimensional quadratic of O1,
 * L_i = ½h(Φ − a_i)² (docs/theory.md §3 O9, O10).
 *
 * <p>With e = Φ − ā the batch gradient is ĝ = h e − h ζ, where ζ = (batch mean of a) − ā has mean 0 and
 * variance s²κ independently of the state, so (e, v) is the linear chain
 * v′ = μv + h e − hζ, e′ = e − ηv′ = (1 − ηh)e − ημv + ηhζ, i.e. z′ = A z + b ξ with
 * A = [[1 − ηh, −ημ], [h, μ]] and b = hs√κ·(η, −1). Its stationary covariance (a 2×2 Lyapunov
 * equation, {@link LinearChain2}) has the closed form
 * Var Φ = ηhs²κ / ((1 − μ)(2 − ηh/(1 + μ))), stable iff 0 &lt; ηh &lt; 2(1 + μ) (with 0 ≤ μ &lt; 1);
 * μ = 0 is O1's ηhs²κ/(2 − ηh). The momentum's stationary second moment follows from Yaida's relation with
 * momentum (O10), E[e·∇L] = h Var Φ = (η/2)(1 + μ) E v², so E v² = 2h Var Φ/(η(1 + μ)).
 * The effective temperature: Var Φ·h/s²κ → η/(2(1 − μ)) as η → 0, SGD's at the rate η/(1 − μ).
 *
 * @param curvature h &gt; 0
 * @param meanTarget ā
 * @param targetVariance s² ≥ 0, the population variance of the a_i
 * @param momentum μ in [0, 1)
 */
public record MomentumSgd1D(double curvature, double meanTarget, double targetVariance, double momentum) {

    /**
     * Validates the parameters.
     *
     * @param curvature h, positive and finite
     * @param meanTarget ā, finite
     * @param targetVariance s², ≥ 0 and finite
     * @param momentum μ in [0, 1)
     * @throws IllegalArgumentException when a parameter is outside its range
     */
    public MomentumSgd1D {
        Checks.positive(curvature, "curvature h");
        Checks.finite(meanTarget, "mean target a-bar");
        Checks.nonNegative(targetVariance, "target variance s^2");
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum mu must be in [0, 1), got " + momentum);
        }
    }

    /**
     * Checks that the chain has a stationary state at this learning rate.
     *
     * @param eta the learning rate η &gt; 0
     * @throws IllegalArgumentException naming the stable range 0 &lt; ηh &lt; 2(1 + μ) when η is outside it
     */
    public void requireStable(double eta) {
        Checks.positive(eta, "learning rate eta");
        double eh = eta * curvature;
        if (!(eh < 2 * (1 + momentum))) {
            throw new IllegalArgumentException("learning rate eta = " + eta + " is beyond the stable range of heavy-ball "
                    + "SGD with momentum " + momentum + ": eta*h = " + eh + " >= 2(1 + mu) = " + 2 * (1 + momentum)
                    + "; use eta < " + 2 * (1 + momentum) / curvature);
        }
    }

    /**
     * The stationary variance of Φ, in closed form (O9).
     *
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2(1 + μ)
     * @param kappa the batch factor κ in [0, 1] ({@link BatchNoise})
     * @return Var Φ = ηhs²κ/((1 − μ)(2 − ηh/(1 + μ)))
     * @throws IllegalArgumentException when η is outside the stable range or κ outside [0, 1]
     */
    public double stationaryVariance(double eta, double kappa) {
        requireStable(eta);
        double eh = eta * curvature;
        return eh * targetVariance * Checks.kappa(kappa) / ((1 - momentum) * (2 - eh / (1 + momentum)));
    }

    /**
     * The stationary second moment of the momentum buffer (from O10).
     *
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2(1 + μ)
     * @param kappa the batch factor κ in [0, 1]
     * @return E v² = 2h Var Φ/(η(1 + μ))
     * @throws IllegalArgumentException when η is outside the stable range or κ outside [0, 1]
     */
    public double stationaryMomentumSecondMoment(double eta, double kappa) {
        return 2 * curvature * stationaryVariance(eta, kappa) / (eta * (1 + momentum));
    }

    /**
     * The same variance from the 2×2 Lyapunov solve of the (e, v) chain (a cross-check of the closed form;
     * the two agree to 10⁻¹⁰).
     *
     * @param eta the learning rate η, 0 &lt; ηh &lt; 2(1 + μ)
     * @param kappa the batch factor κ in [0, 1]
     * @return C₁₁ = Var Φ of {@link LinearChain2#stationaryCovariance} for A = [[1 − ηh, −ημ], [h, μ]],
     *     b = hs√κ·(η, −1)
     * @throws IllegalArgumentException when η is outside the stable range or κ outside [0, 1]
     */
    public double stationaryVarianceByLyapunov(double eta, double kappa) {
        requireStable(eta);
        double h = curvature;
        double[][] a = {{1 - eta * h, -eta * momentum}, {h, momentum}};
        double amp = h * Math.sqrt(targetVariance * Checks.kappa(kappa));
        return LinearChain2.stationaryCovariance(a, new double[] {eta * amp, -amp})[0];
    }
}
