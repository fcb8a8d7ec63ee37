package org.langevin.theory;

/**
 * The double-well Gibbs law p(x) ∝ exp(−βL(x)), L(x) = (x² − 1)², on the real line (docs/theory.md §3 O6).
 *
 * <p>Z(β) = ∫exp(−βL) is available two independent ways: by adaptive quadrature ({@link #normaliser()}) and by the
 * closed form {@link #normaliserBessel(double)} = (π/2)e<sup>−β/2</sup>[I<sub>−1/4</sub>(β/2) + I<sub>1/4</sub>(β/2)].
 * The quadrature runs on [−R, R], R = √(1 + √(800/β)), outside which exp(−βL) &lt; e<sup>−800</sup> (below the
 * smallest double), so the truncation is exact in double precision.
 * Normaliser-free identities (for tests): E[(x−c)L′(x)] = 1/β and E L + E x² = 1 + 1/(4β), hence
 * E x⁴ = E x² + 1/(4β).
 *
 * <p>Immutable and thread-safe.
 */
public final class DoubleWell extends GibbsDensity {

    /**
     * The law at inverse temperature β, integrated on [−R, R], R = √(1 + √(800/β)).
     *
     * @param beta inverse temperature β = 2/σ² &gt; 0, at most 1e5
     * @throws IllegalArgumentException when β is outside (0, 1e5]
     */
    public DoubleWell(double beta) {
        super(DoubleWell::loss, checkBeta(beta), -halfWidth(beta), halfWidth(beta));
    }

    private static double checkBeta(double beta) {
        if (!(beta > 0) || !(beta <= 1e5)) {
            throw new IllegalArgumentException("double-well inverse temperature beta must be in (0, 1e5], got "
                    + beta);
        }
        return beta;
    }

    private static double halfWidth(double beta) {
        return Math.sqrt(1 + Math.sqrt(800 / checkBeta(beta)));
    }

    /**
     * The double-well loss, minimal (0) at x = ±1 with a barrier of height 1 at x = 0.
     *
     * @param x the coordinate
     * @return L(x) = (x² − 1)²
     */
    public static double loss(double x) {
        double u = x * x - 1;
        return u * u;
    }

    /**
     * The derivative of {@link #loss(double)}, the gradient the engines use per coordinate.
     *
     * @param x the coordinate
     * @return L′(x) = 4x(x² − 1)
     */
    public static double lossDerivative(double x) {
        return 4 * x * (x * x - 1);
    }

    /**
     * Z(β) by the Bessel closed form (π/2)e<sup>−β/2</sup>[I<sub>−1/4</sub>(β/2) + I<sub>1/4</sub>(β/2)], using the
     * project's own series for e<sup>−x</sup>I<sub>ν</sub>(x).
     *
     * @param beta β &gt; 0, at most 2e6
     * @return Z(β) = ∫exp(−β(x² − 1)²) dx over the real line (Z(1) = 1.9737321501, Z(5) = 0.8340588041)
     * @throws IllegalArgumentException when β is outside (0, 2e6]
     */
    public static double normaliserBessel(double beta) {
        if (!(beta > 0) || !(beta <= 2e6)) {
            throw new IllegalArgumentException("beta must be in (0, 2e6], got " + beta);
        }
        double x = 0.5 * beta;
        return 0.5 * Math.PI * (SpecialFunctions.besselIScaled(-0.25, x) + SpecialFunctions.besselIScaled(0.25, x));
    }

    /** @return E x² under the law, by quadrature (O6: 0.8327454871 at β = 1, 0.9368339404 at β = 5) */
    public double meanSquare() {
        return moment(2);
    }

    /** @return E x⁴ under the law, by quadrature (equal to E x² + 1/(4β) by O6's identity) */
    public double meanFourth() {
        return moment(4);
    }
}
