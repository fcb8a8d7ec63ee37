package org.langevin.model;

import java.util.Arrays;

/**
 * A learning-rate schedule η_k: constant, or step decay (multiply by {@code factor} at each of the
 * given step indices, as in the ResNet plots). Time is the sum of the learning rates.
 *
 * @param base η at step 0, finite and &gt; 0
 * @param factor decay factor in (0, 1] applied at each boundary (1 for a constant schedule)
 * @param boundaries strictly increasing step indices (&gt; 0) where the factor is applied
 */
public record LearningRateSchedule(double base, double factor, long[] boundaries) {

    /**
     * Validates the schedule and keeps a copy of {@code boundaries}.
     *
     * @param base       η at step 0, finite and &gt; 0
     * @param factor     decay factor in (0, 1]
     * @param boundaries strictly increasing step indices &gt; 0 (empty for a constant schedule)
     * @throws IllegalArgumentException if a value is out of range or the boundaries are not positive and increasing
     */
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

    /**
     * A constant schedule.
     *
     * @param lr η at every step, finite and &gt; 0
     * @return the schedule with factor 1 and no boundaries
     * @throws IllegalArgumentException if {@code lr} is not finite and &gt; 0
     */
    public static LearningRateSchedule constant(double lr) {
        return new LearningRateSchedule(lr, 1.0, new long[0]);
    }

    /**
     * Parses {@code constant} or {@code step:FACTOR@S1,S2,...} (e.g. {@code step:0.5@1000,2000} halves
     * η at steps 1000 and 2000).
     *
     * @param spec the {@code --lr-schedule} value
     * @param lr   the base rate η at step 0 ({@code --lr})
     * @return the schedule
     * @throws IllegalArgumentException if the text has neither form, a number is malformed, or a value is out of
     *         range (see the record's constraints)
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

    /**
     * The learning rate of one step: base·factor<sup>m</sup>, m the number of boundaries ≤ k.
     *
     * @param k the 0-based step index
     * @return η at 0-based step k, rounded to float as the kernels receive it
     */
    public float at(long k) {
        double lr = base;
        for (long b : boundaries) {
            if (k >= b) {
                lr *= factor;
            }
        }
        return (float) lr;
    }

    /**
     * The next boundary of the schedule after a step.
     *
     * @param k a 0-based step index
     * @return the first step index &gt; k where η changes, or {@code Long.MAX_VALUE} when it never changes again
     */
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

    /**
     * The SGD "time" after a number of steps, summed segment by segment of constant η.
     *
     * @param steps the number of steps taken, ≥ 0
     * @return Σ_{k&lt;steps} η_k with the float-rounded η_k of {@link #at(long)}; 0 for {@code steps ≤ 0}
     */
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

    /**
     * The step indices where the factor is applied.
     *
     * @return a fresh copy of the boundaries, strictly increasing, empty for a constant schedule
     */
    @Override
    public long[] boundaries() {
        return boundaries.clone();
    }
}
