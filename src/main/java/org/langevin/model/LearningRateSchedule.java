package org.langevin.model;

import java.util.Arrays;

/**
 * A learning-rate schedule η_k: constant, or step decay (multiply by {@code factor} at each of the
 * given step indices, as in the ResNet plots). Time is the sum of the learning rates.
 *
 * @param base η at step 0, finite and > 0
 * @param factor decay factor in (0, 1] applied at each boundary (1 for a constant schedule)
 * @param boundaries strictly increasing step indices (> 0) where the factor is applied
 */
public record LearningRateSchedule(double base, double factor, long[] boundaries) {

    public LearningRateSchedule {
        if (!(base > 0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + base
                    + " (use e.g. --lr 0.01)");
        }
        if (!(factor > 0) || factor > 1) {
            throw new IllegalArgumentException("schedule decay factor must be in (0, 1], got " + factor);
        }
        boundaries = boundaries.clone();
        for (int i = 0; i < boundaries.length; i++) {
            if (boundaries[i] <= 0 || (i > 0 && boundaries[i] <= boundaries[i - 1])) {
                throw new IllegalArgumentException("schedule steps must be positive and increasing, got "
                        + Arrays.toString(boundaries));
            }
        }
    }

    /** A constant schedule. */
    public static LearningRateSchedule constant(double lr) {
        return new LearningRateSchedule(lr, 1.0, new long[0]);
    }

    /**
     * Parses {@code constant} or {@code step:FACTOR@S1,S2,...} (e.g. {@code step:0.5@1000,2000} halves
     * η at steps 1000 and 2000).
     */
    public static LearningRateSchedule parse(String spec, double lr) {
        String s = spec.trim();
        if (s.equals("constant")) {
            return constant(lr);
        }
        if (s.startsWith("step:") && s.contains("@")) {
            String[] p = s.substring(5).split("@", 2);
            try {
                double f = Double.parseDouble(p[0]);
                String[] steps = p[1].split(",");
                long[] b = new long[steps.length];
                for (int i = 0; i < b.length; i++) {
                    b[i] = Long.parseLong(steps[i].trim());
                }
                return new LearningRateSchedule(lr, f, b);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--lr-schedule: malformed '" + spec
                        + "' (use constant or step:FACTOR@S1,S2, e.g. step:0.5@1000,2000)");
            }
        }
        throw new IllegalArgumentException("--lr-schedule: unknown schedule '" + spec
                + "' (use constant or step:FACTOR@S1,S2, e.g. step:0.5@1000,2000)");
    }

    /** @return η at 0-based step k, rounded to float as the kernels receive it */
    public float at(long k) {
        double lr = base;
        for (long b : boundaries) {
            if (k >= b) {
                lr *= factor;
            }
        }
        return (float) lr;
    }

    /** @return the first step index > k where η changes, or Long.MAX_VALUE */
    public long nextChangeAfter(long k) {
        for (long b : boundaries) {
            if (b > k) {
                return b;
            }
        }
        return Long.MAX_VALUE;
    }

    /** @return the largest η of the schedule (the one that must be stable) */
    public double max() {
        return base;
    }

    /** @return Σ_{k&lt;steps} η_k, the SGD "time" after the given number of steps */
    public double time(long steps) {
        double t = 0;
        long k = 0;
        while (k < steps) {
            long next = Math.min(steps, nextChangeAfter(k));
            t += (next - k) * (double) at(k);
            k = next;
        }
        return t;
    }

    /** @return the command-line form */
    public String describe() {
        if (boundaries.length == 0) {
            return "constant";
        }
        StringBuilder sb = new StringBuilder("step:").append(factor).append('@');
        for (int i = 0; i < boundaries.length; i++) {
            sb.append(i == 0 ? "" : ",").append(boundaries[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearningRateSchedule s && s.base == base && s.factor == factor
                && Arrays.equals(s.boundaries, boundaries);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(base) * 31 + Arrays.hashCode(boundaries);
    }

    @Override
    public long[] boundaries() {
        return boundaries.clone();
    }
}
