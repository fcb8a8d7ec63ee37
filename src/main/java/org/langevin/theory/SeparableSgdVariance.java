package org.langevin.theory;

/**
 * Per-coordinate stationary variance of preconditioned SGD on a separable quadratic with constant diagonal
 * gradient noise (docs/theory.md §2, "two temperatures").
 *
 * <p>Coordinate k: loss ½h<sub>k</sub>x<sub>k</sub>², stochastic gradient h<sub>k</sub>x<sub>k</sub> + ξ<sub>k</sub> with Var ξ<sub>k</sub> = s<sub>k</sub>²
 * (independent of x), diagonal preconditioner d<sub>k</sub>: x<sub>k</sub> ← (1 − ηd<sub>k</sub>h<sub>k</sub>)x<sub>k</sub> − ηd<sub>k</sub>ξ<sub>k</sub>.
 * Stationarity V = (1 − ηd<sub>k</sub>h<sub>k</sub>)²V + η²d<sub>k</sub>²s<sub>k</sub>² gives
 * <pre>
 *   V_k = η d_k s_k² / (h_k (2 − η d_k h_k)),   0 &lt; η d_k h_k &lt; 2.
 * </pre>
 * For D = Σ<sup>−1</sup> (d<sub>k</sub> = 1/s<sub>k</sub>²) this is docs/theory.md's V<sub>k</sub> = η/(h<sub>k</sub>(2 − ηh<sub>k</sub>/s<sub>k</sub>²)) → η/(2h<sub>k</sub>):
 * one temperature η/2, Gibbs exp(−2L/η). D = I gives temperature ηs<sub>k</sub>²/2 and the RMSProp-like
 * d<sub>k</sub> = 1/s<sub>k</sub> gives ηs<sub>k</sub>/2 (two temperatures when s<sub>x</sub> ≠ s<sub>y</sub>).
 * Stateless and thread-safe.
 */
public final class SeparableSgdVariance {

    private SeparableSgdVariance() {
    }

    /**
     * V<sub>k</sub> = ηd<sub>k</sub>s<sub>k</sub>²/(h<sub>k</sub>(2 − ηd<sub>k</sub>h<sub>k</sub>)).
     *
     * @param eta           learning rate η &gt; 0
     * @param curvature     h<sub>k</sub> &gt; 0
     * @param noiseVariance s<sub>k</sub>² ≥ 0, variance of the coordinate's gradient noise
     * @param preconditioner d<sub>k</sub> &gt; 0
     * @return the stationary variance V<sub>k</sub> of coordinate k
     * @throws IllegalArgumentException if ηd<sub>k</sub>h<sub>k</sub> ≥ 2 (unstable) or an argument is outside
     *     its range
     */
    public static double variance(double eta, double curvature, double noiseVariance, double preconditioner) {
        Checks.positive(eta, "learning rate eta");
        Checks.positive(curvature, "curvature h_k");
        Checks.nonNegative(noiseVariance, "gradient-noise variance s_k^2");
        Checks.positive(preconditioner, "preconditioner d_k");
        double edh = eta * preconditioner * curvature;
        if (!(edh < 2)) {
            throw new IllegalArgumentException("learning rate eta = " + eta + " is beyond the stable range: "
                    + "eta*d_k*h_k = " + edh + " >= 2; use eta < " + 2 / (preconditioner * curvature));
        }
        return eta * preconditioner * noiseVariance / (curvature * (2 - edh));
    }

    /**
     * docs/theory.md §2's D = Σ<sup>−1</sup> case, {@link #variance} with d<sub>k</sub> = 1/s<sub>k</sub>².
     *
     * @param eta           learning rate η &gt; 0
     * @param curvature     h<sub>k</sub> &gt; 0
     * @param noiseVariance s<sub>k</sub>² &gt; 0
     * @return V<sub>k</sub> = η/(h<sub>k</sub>(2 − ηh<sub>k</sub>/s<sub>k</sub>²))
     * @throws IllegalArgumentException if ηh<sub>k</sub>/s<sub>k</sub>² ≥ 2 (unstable) or an argument is
     *     outside its range
     */
    public static double naturalPreconditionedVariance(double eta, double curvature, double noiseVariance) {
        Checks.positive(noiseVariance, "gradient-noise variance s_k^2");
        return variance(eta, curvature, noiseVariance, 1.0 / noiseVariance);
    }

    /**
     * The small-η temperature T<sub>k</sub> = lim V<sub>k</sub>h<sub>k</sub> = ηd<sub>k</sub>s<sub>k</sub>²/2 (the coordinate's law is
     * then ∝ exp(−L<sub>k</sub>/T<sub>k</sub>)).
     *
     * @param eta            learning rate η &gt; 0
     * @param noiseVariance  s<sub>k</sub>² ≥ 0
     * @param preconditioner d<sub>k</sub> &gt; 0
     * @return T<sub>k</sub> = ηd<sub>k</sub>s<sub>k</sub>²/2
     * @throws IllegalArgumentException when an argument is outside its range
     */
    public static double temperature(double eta, double noiseVariance, double preconditioner) {
        Checks.positive(eta, "learning rate eta");
        Checks.nonNegative(noiseVariance, "gradient-noise variance s_k^2");
        Checks.positive(preconditioner, "preconditioner d_k");
        return 0.5 * eta * preconditioner * noiseVariance;
    }
}
