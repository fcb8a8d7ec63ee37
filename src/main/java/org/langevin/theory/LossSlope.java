package org.langevin.theory;

/**
 * The loss-slope theorem and Yaida's first fluctuation–dissipation relation (docs/theory.md §3 O3).
 *
 * <p>For quadratic per-example losses, SGD at rate η with a fresh example each step satisfies, at stationarity,
 * L(η) − L* = (η/4)E‖∇L<sub>i</sub>(Φ)‖² exactly (with a batch of B: (η/4)E‖ĝ‖², ĝ the batch-mean gradient).
 * Proof for a quadratic loss: the stationary covariance C of Φ − Φ* solves C = PCP + η²κE[(A<sub>i</sub>−H)C(A<sub>i</sub>−H)]
 * + η²κΣ with P = I − ηH; expanding PCP gives HC + CH = η(HCH + κ(E[A<sub>i</sub>CA<sub>i</sub>] − HCH) + κΣ), whose
 * trace is η E‖ĝ‖² (ĝ = He + batch noise), so ½tr(HC) = (η/4)E‖ĝ‖². At η → 0 the slope is ¼E<sub>i</sub>‖g<sub>i</sub>‖² = ¼tr Σ(Φ*)
 * (κ/4 tr Σ for batches). Stateless and thread-safe.
 */
public final class LossSlope {

    private LossSlope() {
    }

    /**
     * The slope of the stationary excess loss at η = 0 (O3).
     *
     * @param meanSquaredGradientNorm E<sub>i</sub>‖g<sub>i</sub>‖² = tr Σ(Φ*), the per-example gradients at the
     *     minimiser, ≥ 0
     * @param kappa the batch factor κ in [0, 1] (κ = 1 for one fresh example)
     * @return dL/dη at η = 0: (κ/4)·E<sub>i</sub>‖g<sub>i</sub>‖²
     * @throws IllegalArgumentException when an argument is outside its range
     */
    public static double slopeAtZero(double meanSquaredGradientNorm, double kappa) {
        Checks.nonNegative(meanSquaredGradientNorm, "mean squared gradient norm");
        return 0.25 * Checks.kappa(kappa) * meanSquaredGradientNorm;
    }

    /**
     * The exact stationary excess loss of the loss-slope theorem (O3, quadratic losses).
     *
     * @param eta the learning rate η &gt; 0
     * @param meanSquaredStepGradient E‖ĝ‖² at stationarity, ≥ 0
     * @return L(η) − L* = (η/4)·E‖ĝ‖²
     * @throws IllegalArgumentException when an argument is outside its range
     */
    public static double excessLoss(double eta, double meanSquaredStepGradient) {
        Checks.positive(eta, "learning rate eta");
        Checks.nonNegative(meanSquaredStepGradient, "mean squared gradient norm");
        return 0.25 * eta * meanSquaredStepGradient;
    }

    /**
     * E‖ĝ‖² at stationarity for a quadratic loss from its parts: ‖ĝ‖² = ‖He‖² + batch noise, so
     * E‖ĝ‖² = tr(HCH) + κ(E<sub>i</sub>tr(A<sub>i</sub>CA<sub>i</sub>) − tr(HCH) + tr Σ).
     *
     * @param traceHCH                 tr(HCH) ≥ 0
     * @param meanExampleGradientNorm2 E<sub>i</sub>tr(A<sub>i</sub>CA<sub>i</sub>) + tr Σ, the fresh-example E‖∇L<sub>i</sub>‖²
     * @param kappa                    batch factor in [0, 1]
     * @return E‖ĝ‖² = tr(HCH) + κ(meanExampleGradientNorm2 − tr(HCH))
     * @throws IllegalArgumentException when an argument is outside its range
     */
    public static double meanSquaredBatchGradient(double traceHCH, double meanExampleGradientNorm2, double kappa) {
        Checks.nonNegative(traceHCH, "tr(HCH)");
        Checks.nonNegative(meanExampleGradientNorm2, "fresh-example mean squared gradient norm");
        Checks.kappa(kappa);
        return traceHCH + kappa * (meanExampleGradientNorm2 - traceHCH);
    }

    /**
     * Right-hand side of Yaida's FDR1, E[(Φ − c)·∇L(Φ)] = (η/2)E‖ĝ‖², for any fixed c and any loss (O3).
     *
     * @param eta the learning rate η &gt; 0
     * @param meanSquaredStepGradient E‖ĝ‖² at stationarity, ≥ 0
     * @return (η/2)·E‖ĝ‖²
     * @throws IllegalArgumentException when an argument is outside its range
     */
    public static double fluctuationDissipation(double eta, double meanSquaredStepGradient) {
        Checks.positive(eta, "learning rate eta");
        Checks.nonNegative(meanSquaredStepGradient, "mean squared gradient norm");
        return 0.5 * eta * meanSquaredStepGradient;
    }
}
