package org.langevin.report;

import java.util.Locale;
import org.langevin.model.RunSpec;
import org.langevin.reduce.Reduction;
import org.langevin.theory.DivergenceBound;

/**
 * The divergence verdict of a finished run: how many particles diverged (a non-finite state, or a
 * coordinate or time average beyond the bound B of {@link DivergenceBound}), and whether that is more
 * than the run allows (--max-diverged-fraction). One rule for every launcher: {@code langevin sample}
 * and the Spark launcher both exit with {@code EXIT_DIVERGED} when {@link #failed()}.
 *
 * @param diverged particles excluded as diverged, {@code >= 0}
 * @param total all particles of the run, {@code >= diverged}
 * @param bound the bound B
 * @param maxFraction the largest diverged fraction of a successful run, in [0, 1]
 */
public record Divergence(long diverged, long total, DivergenceBound bound, double maxFraction) {

    /**
     * Validates the counts.
     *
     * @param diverged particles excluded as diverged, {@code >= 0}
     * @param total all particles of the run, {@code >= diverged}
     * @param bound the bound B
     * @param maxFraction the largest diverged fraction of a successful run, in [0, 1]
     */
    public Divergence {
        if (diverged < 0 || total < diverged) {
            throw new IllegalArgumentException("need 0 <= diverged <= total, got diverged = " + diverged
                    + ", total = " + total);
        }
        if (!(maxFraction >= 0 && maxFraction <= 1)) {
            throw new IllegalArgumentException("maxFraction must be in [0, 1], got " + maxFraction);
        }
    }

    /**
     * @param spec the run's specification (its bound and threshold)
     * @param reduction the run's reduction
     * @return the verdict
     */
    public static Divergence of(RunSpec spec, Reduction reduction) {
        return new Divergence(reduction.diverged(), reduction.particles() + reduction.diverged(),
                DivergenceBound.of(spec), spec.maxDivergedFraction());
    }

    /** @return diverged / total (0 for an empty run) */
    public double fraction() {
        return total == 0 ? 0 : (double) diverged / total;
    }

    /** @return true when more than the allowed fraction diverged, or every particle did */
    public boolean failed() {
        return fraction() > maxFraction || (total > 0 && diverged == total);
    }

    /** @return the top-level "divergence" string of results.json: "none", a warning, or a failure */
    public String verdict() {
        if (diverged == 0) {
            return "none: no particle diverged (bound " + num(bound.value()) + ")";
        }
        return (failed() ? "FAILED: " : "WARNING: ") + counts() + "; the threshold is "
                + num(maxFraction) + " (--max-diverged-fraction)";
    }

    /**
     * @return the terminal WARNING line (ending in a newline), or "" when no particle diverged
     */
    public String warning() {
        if (diverged == 0) {
            return "";
        }
        return "WARNING: " + counts() + ". Every statistic, histogram and plot excludes them. Reduce --dt (or --lr) or "
                + "check the problem's scale (--divergence-bound B overrides the bound)."
                + (failed() ? " This is more than --max-diverged-fraction " + num(maxFraction)
                        + ": the run fails." : "") + "\n";
    }

    /** @return the one-line error of a failed run */
    public String error() {
        return "error: " + counts() + ", more than --max-diverged-fraction " + num(maxFraction)
                + "; the results are written but the run failed (reduce --dt or --lr)";
    }

    private String counts() {
        return String.format(Locale.ROOT, "%d of %d particles (%.4g%%) diverged (non-finite or |x_j| > %s, %s)",
                diverged, total, 100 * fraction(), num(bound.value()), bound.rule());
    }

    private static String num(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toString();
    }
}
