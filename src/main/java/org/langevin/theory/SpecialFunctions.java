package org.langevin.theory;

/**
 * The special functions the oracles need, written for this project: log Γ and the exponentially scaled modified
 * Bessel function of the first kind. Stateless and thread-safe.
 */
public final class SpecialFunctions {

    /** ln(√(2π)). */
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    /** Shift below which log Γ uses the recurrence before the Stirling series. */
    private static final double STIRLING_MIN = 15.0;

    private SpecialFunctions() {
    }

    /**
     * ln Γ(x) for x &gt; 0: Γ(x) = Γ(x+m)/(x(x+1)…(x+m−1)) with x+m ≥ 15, then the Stirling series
     * ln Γ(z) = (z−½)ln z − z + ½ln 2π + Σ B<sub>2k</sub>/(2k(2k−1)z<sup>2k−1</sup>) to k = 7 (truncation error
     * below 1e−19 at z ≥ 15). Relative accuracy about 1e−15.
     *
     * @param x the argument, finite and &gt; 0
     * @return ln Γ(x)
     * @throws IllegalArgumentException when x is not finite and positive
     */
    public static double logGamma(double x) {
        if (!(x > 0) || !Double.isFinite(x)) {
            throw new IllegalArgumentException("logGamma needs a finite x > 0, got " + x);
        }
        double shiftLog = 0;
        double z = x;
        double prod = 1;
        while (z < STIRLING_MIN) {
            prod *= z;
            z += 1;
        }
        shiftLog = Math.log(prod);
        double zi = 1.0 / z;
        double zi2 = zi * zi;
        // Bernoulli numbers B2..B14: 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6; term B_2k / (2k(2k-1)).
        double series = zi * (1.0 / 12 + zi2 * (-1.0 / 360 + zi2 * (1.0 / 1260 + zi2 * (-1.0 / 1680
                + zi2 * (1.0 / 1188 + zi2 * (-691.0 / 360360 + zi2 * (1.0 / 156)))))));
        return (z - 0.5) * Math.log(z) - z + HALF_LOG_TWO_PI + series - shiftLog;
    }

    /**
     * Γ(x) for 0 &lt; x ≤ 170 (exp of {@link #logGamma}).
     *
     * @param x the argument, in (0, 170]
     * @return Γ(x), finite (Γ(170) = 169! ≈ 4.3e304)
     * @throws IllegalArgumentException when x is outside (0, 170]
     */
    public static double gamma(double x) {
        if (!(x <= 170)) {
            throw new IllegalArgumentException("gamma overflows for x > 170, got " + x);
        }
        return Math.exp(logGamma(x));
    }

    /**
     * e<sup>−x</sup> I<sub>ν</sub>(x), the exponentially scaled modified Bessel function of the first kind, for
     * ν &gt; −1 and x &gt; 0, by its power series I<sub>ν</sub>(x) = Σ<sub>k</sub> (x/2)<sup>2k+ν</sup>/(k! Γ(k+ν+1)).
     * All terms are positive (ν &gt; −1), so the sum has no cancellation; it is accumulated with rescaling so that
     * large x does not overflow (about x/2 + 20√x + 40 terms). Relative accuracy about 1e−15·max(50, x): the
     * exponent −x + ln(sum) is formed from two numbers of size x, so its rounding grows with x.
     *
     * @param nu the order ν, finite and &gt; −1
     * @param x the argument, in (0, 1e6]
     * @return e<sup>−x</sup> I<sub>ν</sub>(x)
     * @throws IllegalArgumentException when ν or x is outside its range
     */
    public static double besselIScaled(double nu, double x) {
        if (!(nu > -1) || !Double.isFinite(nu)) {
            throw new IllegalArgumentException("Bessel order nu must be > -1 and finite, got " + nu);
        }
        if (!(x > 0) || !(x <= 1e6)) {
            throw new IllegalArgumentException("Bessel argument x must be in (0, 1e6], got " + x);
        }
        double q = 0.25 * x * x;
        double term = 1;
        double sum = 1;
        double logScale = 0;
        for (int k = 0; k < 10_000_000; k++) {
            term *= q / ((k + 1) * (k + nu + 1));
            sum += term;
            if (term > 1e250) {
                term *= 1e-250;
                sum *= 1e-250;
                logScale += 250 * Math.log(10);
            }
            if (k + 1 > q / (k + 1) && term < 1e-17 * sum) {
                break;
            }
        }
        return Math.exp(nu * Math.log(0.5 * x) - logGamma(nu + 1) - x + logScale + Math.log(sum));
    }
}
