package org.langevin.check;

import java.util.Arrays;

/**
 * The double-well Gibbs law p(x) = exp(−βL(x))/Z, L = (x² − 1)² (docs/theory.md O6), tabulated once on a
 * uniform grid of [−R, R] with R = √(1 + √(700/β)), so that βL(R) = 700 (the tails
 * beyond are below 1e−300). Z and moments by composite Simpson, the CDF by the cumulative trapezoid
 * rule (between grid points, the trapezoid to x); with 2¹⁸ intervals the CDF is accurate to about 1e−9
 * and Z, E x² to 1e−12, far below any Monte Carlo error bar. A second implementation next to
 * {@code theory.DoubleWell} (a test compares them): the table makes the millions of quantiles of the
 * exact-draw calibration cheap (microseconds each). Immutable and thread-safe.
 */
final class DoubleWellLaw {
    /** Grid intervals (even, for Simpson). */
    private static final int INTERVALS = 1 << 18;

    /** β. */
    private final double beta;
    /** Half-width R of the grid. */
    private final double r;
    /** Grid step. */
    private final double h;
    /** Unnormalised weights exp(−βL) at the grid points. */
    private final double[] w;
    /** Normalised cumulative trapezoid integrals at the grid points. */
    private final double[] cdf;
    /** Z by Simpson. */
    private final double z;
    /** Normaliser of the trapezoid CDF (so that cdf(R) = 1 exactly). */
    private final double trapezoidTotal;

    /** @param beta inverse temperature in (0, 1e4] */
    DoubleWellLaw(double beta) {
        if (!(beta > 0 && beta <= 1e4)) {
            throw new IllegalArgumentException("beta must be in (0, 1e4], got " + beta);
        }
        this.beta = beta;
        // (R² − 1)² = 700/β
        this.r = Math.sqrt(1 + Math.sqrt(700 / beta));
        this.h = 2 * r / INTERVALS;
        w = new double[INTERVALS + 1];
        for (int i = 0; i <= INTERVALS; i++) {
            w[i] = Math.exp(-beta * loss(x(i)));
        }
        z = simpson(w, 0);
        cdf = new double[INTERVALS + 1];
        for (int i = 1; i <= INTERVALS; i++) {
            cdf[i] = cdf[i - 1] + 0.5 * h * (w[i - 1] + w[i]);
        }
        trapezoidTotal = cdf[INTERVALS];
        for (int i = 0; i <= INTERVALS; i++) {
            cdf[i] /= trapezoidTotal;
        }
    }

    static double loss(double x) {
        double u = x * x - 1;
        return u * u;
    }

    static double lossDerivative(double x) {
        return 4 * x * (x * x - 1);
    }

    private double x(int i) {
        return -r + i * h;
    }

    /** Simpson's rule of w[i]·x_i^k. */
    private double simpson(double[] f, int k) {
        double s = 0;
        for (int i = 0; i <= INTERVALS; i++) {
            double c = (i == 0 || i == INTERVALS) ? 1 : (i % 2 == 1 ? 4 : 2);
            s += c * f[i] * Math.pow(x(i), k);
        }
        return s * h / 3;
    }

    /** @return Z(β) = ∫exp(−βL) */
    double normaliser() {
        return z;
    }

    /** @return E x^k under the law */
    double moment(int k) {
        return simpson(w, k) / z;
    }

    /** @return p(x) */
    double density(double x) {
        return Math.exp(-beta * loss(x)) / z;
    }

    /** @return P(X ≤ x) */
    double cdf(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("x is NaN");
        }
        if (x <= -r) {
            return 0;
        }
        if (x >= r) {
            return 1;
        }
        int i = Math.min(INTERVALS - 1, (int) ((x + r) / h));
        double t = x - x(i);
        double wx = Math.exp(-beta * loss(x));
        return Math.min(1, cdf[i] + 0.5 * t * (w[i] + wx) / trapezoidTotal);
    }

    /** @return the u-quantile, u in [0, 1] (for exact draws) */
    double quantile(double u) {
        if (!(u >= 0 && u <= 1)) {
            throw new IllegalArgumentException("u must be in [0, 1], got " + u);
        }
        int i = Arrays.binarySearch(cdf, u);
        if (i >= 0) {
            return x(i);
        }
        int hi = Math.min(INTERVALS, -i - 1);
        int lo = Math.max(0, hi - 1);
        double a = x(lo);
        double b = x(hi);
        // bisection on the interpolated CDF, which is monotone
        for (int it = 0; it < 60; it++) {
            double m = 0.5 * (a + b);
            if (cdf(m) < u) {
                a = m;
            } else {
                b = m;
            }
        }
        return 0.5 * (a + b);
    }
}
