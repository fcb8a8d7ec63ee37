package org.langevin.check;

/**
 * A measured value with its standard error (one standard deviation of the estimator).
 *
 * @param value the estimate
 * @param stdErr its standard error, ≥ 0
 */
public record Estimate(double value, double stdErr) {
    /**
     * Checks the standard error.
     *
     * @param value the estimate
     * @param stdErr its standard error, ≥ 0
     * @throws IllegalArgumentException when stdErr is negative or NaN
     */
    public Estimate {
        if (!(stdErr >= 0)) {
            throw new IllegalArgumentException("stdErr must be >= 0 and not NaN, got " + stdErr);
        }
    }

    /**
     * This estimate scaled by a constant.
     *
     * @param c the constant
     * @return value·c with standard error stdErr·|c|
     */
    public Estimate times(double c) {
        return new Estimate(value * c, stdErr * Math.abs(c));
    }

    /**
     * The difference of two independent estimates.
     *
     * @param o the estimate subtracted, independent of this one
     * @return value − o.value with standard error √(stdErr² + o.stdErr²)
     */
    public Estimate minus(Estimate o) {
        return new Estimate(value - o.value, Math.hypot(stdErr, o.stdErr));
    }

    /** @return the relative standard error stdErr / |value| (infinite or NaN when value is 0) */
    public double relativeError() {
        return stdErr / Math.abs(value);
    }
}
