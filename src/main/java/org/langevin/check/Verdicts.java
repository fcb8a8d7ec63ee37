package org.langevin.check;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Verdicts with a Bonferroni threshold over the claims of one run (docs/theory.md §4): with K claims and
 * family-wise false-alarm rate α, a claim is confirmed when |z| ≤ Φ⁻¹(1 − α/(2K)) and refuted otherwise.
 * So, when every true claim holds exactly, the chance that any of them is refuted is at most α.
 * Stateless and thread-safe.
 */
public final class Verdicts {
    /** The family-wise false-alarm rate of a run. */
    public static final double DEFAULT_ALPHA = 0.01;

    private Verdicts() {
    }

    /**
     * @param claims K, the number of claims in the run (≥ 1)
     * @param alpha family-wise false-alarm rate, in (0, 1)
     * @return the |z| threshold Φ⁻¹(1 − α/(2K))
     * @throws IllegalArgumentException when K is below 1 or α is not in (0, 1)
     */
    public static double threshold(int claims, double alpha) {
        if (claims < 1) {
            throw new IllegalArgumentException("claims must be >= 1, got " + claims);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        return NormalDistribution.of(0, 1).inverseSurvivalProbability(alpha / (2.0 * claims));
    }

    /**
     * The verdict on one claim.
     *
     * @param z the claim's z-score
     * @param threshold the run's |z| threshold, from {@link #threshold(int, double)}
     * @return CONFIRMED when |z| ≤ threshold, else REFUTED
     */
    public static Verdict verdict(double z, double threshold) {
        return Math.abs(z) <= threshold ? Verdict.CONFIRMED : Verdict.REFUTED;
    }

    /**
     * Judges every claim of a run with the threshold for their number.
     *
     * @param claims all claims of the run (at least one)
     * @param alpha family-wise false-alarm rate
     * @return the judged claims, in the same order
     */
    public static List<JudgedClaim> judge(List<ClaimResult> claims, double alpha) {
        double t = threshold(claims.size(), alpha);
        List<JudgedClaim> out = new ArrayList<>(claims.size());
        for (ClaimResult c : claims) {
            out.add(new JudgedClaim(c, verdict(c.z(), t), t));
        }
        return out;
    }
}
