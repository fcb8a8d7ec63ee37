package org.langevin.theory;

import java.util.function.DoubleUnaryOperator;

/**
 * Gauss–Legendre quadrature with nodes and weights computed at class initialisation by Newton's method on the
 * Legendre polynomial (three-term recurrence), and adaptive composite integration built on it.
 *
 * <p>The {@value #POINTS}-point rule is exact for polynomials of degree ≤ {@value #POINTS}·2 − 1. The adaptive
 * integrator bisects a panel until the rule on the panel and the sum of the rule on its two halves agree to an
 * absolute tolerance; it returns the halves' sum. Stateless and thread-safe.
 */
public final class GaussLegendre {

    /** Number of nodes of the rule. */
    public static final int POINTS = 16;
    /** Nodes on [−1, 1], ascending. */
    private static final double[] NODES = new double[POINTS];
    /** Weights matching {@link #NODES}. */
    private static final double[] WEIGHTS = new double[POINTS];
    /** Maximum bisection depth of the adaptive integrator. */
    private static final int MAX_DEPTH = 40;
    /**
     * Relative noise floor of a panel comparison: an integrand such as exp(−βL) carries its own rounding noise
     * of about ε·β·L (1e−14 already at βL ≈ 30), so agreement below this cannot be demanded. A panel accepted
     * at the floor returns the sum of its halves, whose error is far below the difference for smooth integrands.
     */
    private static final double ROUNDING_FLOOR = 1e-12;

    static {
        int n = POINTS;
        for (int i = 0; i < (n + 1) / 2; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5)); // standard initial guess for root i
            double dp = 0;
            for (int iter = 0; iter < 100; iter++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    break;
                }
            }
            // recompute derivative at the converged root
            double p0 = 1;
            double p1 = x;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (x * p1 - p0) / (x * x - 1);
            double w = 2.0 / ((1 - x * x) * dp * dp);
            NODES[i] = -x;
            NODES[n - 1 - i] = x;
            WEIGHTS[i] = w;
            WEIGHTS[n - 1 - i] = w;
        }
    }

    private GaussLegendre() {
    }

    /** @return a copy of the {@value #POINTS} nodes on [−1, 1], ascending (the roots of the Legendre polynomial) */
    public static double[] nodes() {
        return NODES.clone();
    }

    /** @return a copy of the {@value #POINTS} weights matching {@link #nodes()} (positive; they sum to 2) */
    public static double[] weights() {
        return WEIGHTS.clone();
    }

    /**
     * The {@value #POINTS}-point rule on [a, b] (a &gt; b gives the negated integral): ((b − a)/2)·Σ w_i
     * f((a + b)/2 + ((b − a)/2)·x_i), exact for polynomials of degree ≤ {@value #POINTS}·2 − 1.
     *
     * @param f the integrand, evaluated at the {@value #POINTS} mapped nodes (never at a or b)
     * @param a lower limit
     * @param b upper limit
     * @return the rule's value of ∫<sub>a</sub><sup>b</sup> f(x) dx (no error check; NaN or infinite if f is)
     */
    public static double rule(DoubleUnaryOperator f, double a, double b) {
        double half = 0.5 * (b - a);
        double mid = 0.5 * (a + b);
        double s = 0;
        for (int i = 0; i < POINTS; i++) {
            s += WEIGHTS[i] * f.applyAsDouble(mid + half * NODES[i]);
        }
        return s * half;
    }

    /** The rule and the rule applied to |f| (the rounding scale of the sum), as {integral, absolute}. */
    private static double[] ruleWithMagnitude(DoubleUnaryOperator f, double a, double b) {
        double half = 0.5 * (b - a);
        double mid = 0.5 * (a + b);
        double s = 0;
        double m = 0;
        for (int i = 0; i < POINTS; i++) {
            double t = WEIGHTS[i] * f.applyAsDouble(mid + half * NODES[i]);
            s += t;
            m += Math.abs(t);
        }
        return new double[] {s * half, m * Math.abs(half)};
    }

    /**
     * Adaptive composite integral of f over [a, b], starting from {@code initialPanels} equal panels.
     *
     * @param f the integrand, finite on [a, b]
     * @param a lower limit, finite
     * @param b upper limit, finite, &gt; a
     * @param initialPanels number of equal panels before bisection, ≥ 1 (each gets absTol/initialPanels)
     * @param absTol absolute error target per accepted panel pair, &gt; 0
     * @return ∫<sub>a</sub><sup>b</sup> f(x) dx, the sum over accepted panels of the rule on their halves
     * @throws IllegalArgumentException if the interval is not finite with a &lt; b, initialPanels is below 1
     *     or absTol is not positive
     * @throws ArithmeticException if the integrand is not finite or the depth limit is reached
     */
    public static double integrate(DoubleUnaryOperator f, double a, double b, int initialPanels, double absTol) {
        if (!(b > a) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("interval must satisfy a < b, both finite; got [" + a + ", " + b + "]");
        }
        if (initialPanels < 1) {
            throw new IllegalArgumentException("initialPanels must be >= 1, got " + initialPanels);
        }
        if (!(absTol > 0)) {
            throw new IllegalArgumentException("absTol must be > 0, got " + absTol);
        }
        double h = (b - a) / initialPanels;
        double sum = 0;
        for (int p = 0; p < initialPanels; p++) {
            double lo = a + p * h;
            double hi = p == initialPanels - 1 ? b : lo + h;
            sum += adapt(f, lo, hi, rule(f, lo, hi), absTol / initialPanels, 0, null);
        }
        return sum;
    }

    /**
     * Recursive bisection; when {@code panels} is non-null each accepted sub-panel is appended as {lo, hi, integral}.
     * A panel is accepted when its halves agree with the whole to {@code tol}, or to 1e−12 of the rule applied
     * to |f| (the noise floor of the integrand and the sum), so an unreachable tolerance cannot cause runaway bisection.
     *
     * @throws ArithmeticException past {@value #MAX_DEPTH} bisections (a singular or non-finite integrand)
     */
    static double adapt(DoubleUnaryOperator f, double lo, double hi, double whole, double tol, int depth,
                        java.util.List<double[]> panels) {
        double mid = 0.5 * (lo + hi);
        double[] l = ruleWithMagnitude(f, lo, mid);
        double[] r = ruleWithMagnitude(f, mid, hi);
        double left = l[0];
        double right = r[0];
        double both = left + right;
        if (!Double.isFinite(both)) {
            throw new ArithmeticException("integrand is not finite on [" + lo + ", " + hi + "]");
        }
        double diff = Math.abs(both - whole);
        double floor = ROUNDING_FLOOR * (l[1] + r[1]);
        if (diff <= tol || diff <= floor) {
            if (panels != null) {
                panels.add(new double[] {lo, mid, left});
                panels.add(new double[] {mid, hi, right});
            }
            return both;
        }
        if (depth >= MAX_DEPTH || !(mid > lo && mid < hi)) {
            throw new ArithmeticException("adaptive quadrature did not converge on [" + lo + ", " + hi
                    + "]: the integrand may be singular there");
        }
        return adapt(f, lo, mid, left, 0.5 * tol, depth + 1, panels)
                + adapt(f, mid, hi, right, 0.5 * tol, depth + 1, panels);
    }
}
