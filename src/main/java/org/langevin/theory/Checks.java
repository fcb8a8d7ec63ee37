package org.langevin.theory;

/** Package-private argument checks with messages that name the parameter. */
final class Checks {

    private Checks() {
    }

    static double positive(double v, String name) {
        if (!(v > 0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
        return v;
    }

    static double nonNegative(double v, String name) {
        if (!(v >= 0) || v == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(name + " must be >= 0 and finite, got " + v);
        }
        return v;
    }

    static double finite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
        return v;
    }

    static double kappa(double kappa) {
        if (!(kappa >= 0) || !(kappa <= 1)) {
            throw new IllegalArgumentException("batch factor kappa must be in [0, 1], got " + kappa);
        }
        return kappa;
    }

    static long steps(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("number of steps N must be >= 0, got " + n);
        }
        return n;
    }
}
