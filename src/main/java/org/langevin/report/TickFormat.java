package org.langevin.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick positions and labels for a linear axis: steps of 1, 2 or 5 times a power of ten, labelled with
 * just the decimals the step needs ({@code -0.662}, not {@code -0.66133433723609}), or in scientific
 * notation when the values are very large or very small. Stateless; thread-safe.
 */
final class TickFormat {

    /** Values of at least this magnitude are labelled in scientific notation. */
    private static final double LARGE = 1e5;
    /** Non-zero values below this magnitude (largest on the axis) are labelled in scientific notation. */
    private static final double SMALL = 1e-3;

    private TickFormat() {
    }

    /**
     * @param span the axis length, {@code > 0}
     * @param target about how many ticks, {@code >= 2}
     * @return a step of 1, 2 or 5 × 10^k close to span / target
     */
    static double step(double span, int target) {
        double raw = span / target;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
        return nice * mag;
    }

    /** @return the multiples of step within [lo, hi] (the ends included up to rounding) */
    static List<Double> ticks(double lo, double hi, double step) {
        List<Double> t = new ArrayList<>();
        double first = Math.ceil(lo / step - 1e-9) * step;
        for (int k = 0; first + k * step <= hi + 1e-9 * step && k < 1000; k++) {
            double v = first + k * step;
            t.add(Math.abs(v) < 1e-12 * step ? 0.0 : v);
        }
        return t;
    }

    /**
     * A {@link java.text.DecimalFormat} pattern for ticks on [lo, hi] with about 8 ticks (XChart's own
     * spacing may halve the step, so one more decimal than the step needs is kept when it is below 1).
     *
     * @param lo smallest value on the axis
     * @param hi largest value on the axis
     * @return the pattern, e.g. {@code 0.0##} or {@code 0.##E0}
     */
    static String pattern(double lo, double hi) {
        double big = Math.max(Math.abs(lo), Math.abs(hi));
        if (!Double.isFinite(big) || big == 0) {
            return "0.###";
        }
        if (big >= LARGE || big < SMALL) {
            return "0.###E0";
        }
        double span = hi - lo;
        if (!(span > 0)) {
            return "0.####";
        }
        int decimals = decimals(step(span, 8)) + 1;
        return decimals == 0 ? "0" : "0." + "#".repeat(Math.min(decimals, 12));
    }

    /**
     * @param v a tick value
     * @param step the ticks' step
     * @return the label: as many decimals as the step has, or scientific notation for very large or small steps
     */
    static String label(double v, double step) {
        if (v == 0) {
            return "0";
        }
        if (step >= LARGE || step < SMALL / 10) {
            return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e").replace("e-0", "e-");
        }
        return String.format(Locale.ROOT, "%." + decimals(step) + "f", v);
    }

    /** @return the decimals that a step of 1, 2 or 5 × 10^k needs: max(0, −k) */
    private static int decimals(double step) {
        return Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    }
}
