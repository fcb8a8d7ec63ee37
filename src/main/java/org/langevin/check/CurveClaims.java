package org.langevin.check;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * One claim about a whole curve: an estimate with its standard error at each of K recorded steps
 * against the exact value there. The K z-scores are combined by Bonferroni's rule, which holds under
 * any dependence between the records (the records of one run share their particles): the claim's
 * p-value is min(1, K·p_min), where p_min is the smallest two-sided p-value of the K points, and its z
 * is the two-sided normal equivalent of that p-value. The claim reports the worst point (its estimate,
 * standard error and exact value), so a table shows where the curve is furthest from theory. Under the
 * claim the false-alarm rate of this one claim is at most its p threshold, as for any other claim.
 * Stateless.
 */
final class CurveClaims {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    /** Words every curve claim's text carries. */
    static final String MARK = "z Bonferroni-adjusted over";

    private CurveClaims() {
    }

    /**
     * @return whether a claim combines a curve: its p-value is conservative (P(p ≤ u) ≤ u under the claim),
     *         not uniform
     */
    static boolean isCurve(ClaimResult r) {
        return r.claim().contains(MARK);
    }

    /**
     * @param claim the claim in words; the worst step and K are appended
     * @param steps the record steps, one per point
     * @param estimate measured values per point
     * @param stdErr their standard errors (each &gt; 0)
     * @param exact the exact values per point
     */
    static ClaimResult of(String check, String claim, long[] steps, double[] estimate, double[] stdErr, double[] exact,
                          Verdict expectedVerdict) {
        int k = steps.length;
        if (k == 0 || estimate.length != k || stdErr.length != k || exact.length != k) {
            throw new IllegalArgumentException("a curve claim needs one estimate, error and exact value per step, got "
                    + k + " steps, " + estimate.length + ", " + stdErr.length + ", " + exact.length);
        }
        int worst = 0;
        double worstZ = -1;
        for (int i = 0; i < k; i++) {
            if (!(stdErr[i] > 0) || !Double.isFinite(stdErr[i])) {
                throw new IllegalArgumentException("curve claim '" + claim + "': standard error at step " + steps[i]
                        + " is " + stdErr[i] + " (must be finite and > 0)");
            }
            double z = Math.abs((estimate[i] - exact[i]) / stdErr[i]);
            if (Double.isNaN(z) || z > worstZ) {
                worstZ = Double.isNaN(z) ? ClaimResult.MAX_Z : z;
                worst = i;
            }
        }
        double pMin = 2 * STANDARD_NORMAL.survivalProbability(Math.min(worstZ, ClaimResult.MAX_Z));
        double p = Math.min(1.0, k * pMin);
        double z = p >= 1 ? 0.0 : Math.min(ClaimResult.MAX_Z, STANDARD_NORMAL.inverseSurvivalProbability(p / 2));
        if (z > 0 && estimate[worst] < exact[worst]) {
            z = -z;
        }
        String text = String.format("%s, at %d records (worst: step %d, %.2f SE off; " + MARK + " %d)",
                claim, k, steps[worst], worstZ, k);
        return new ClaimResult(check, text, estimate[worst], stdErr[worst], exact[worst], z, p, expectedVerdict);
    }
}
