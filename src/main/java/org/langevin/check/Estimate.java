package org.langevin.check;

/**
 * A measured value with its standard error (one standard deviation of the estimator).
 *
 * @param value the estimate
 * @param stdErr its standard error, ≥ 0
 */
public record Estimate(double value, double stdErr) {
    public Estimate {
        if (!(stdErr >= 0)) {
            throw new IllegalArgumentException("stdErr must be >= 0 and not NaN, got " + stdErr);
        }
    }

    /** @return this estimate scaled by a constant c (value·c, stdErr·|c|) */
    public Estimate times(double c) {
        return new Estimate(value * c, stdErr * Math.abs(c));
    }

    /** @return the difference of two independent estimates */
    public Estimate minus(Estimate o) {
        return new Estimate(value - o.value, Math.hypot(stdErr, o.stdErr));
    }

    /** @return the relative standard error stdErr / |value| */
    public double relativeError() {
        return stdErr / Math.abs(value);
    }
}
