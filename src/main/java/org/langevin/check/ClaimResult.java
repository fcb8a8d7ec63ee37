package org.langevin.check;

import java.util.Objects;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * One claim tested by a check: what was measured, its standard error, what the claim predicts, and the
 * z-score. The verdict depends on how many claims the run has (docs/theory.md §4) and is given by
 * {@link Verdicts}. Immutable.
 *
 * <p>For a value claim z = (estimate − expected)/stdErr. For a distribution test (chi-square,
 * Kolmogorov–Smirnov) the estimate is the test statistic, expected and stdErr are its mean and standard
 * deviation under the claim, and z is the two-sided normal equivalent of the test's p-value,
 * z = Φ⁻¹(1 − p/2), so that one threshold on |z| serves every claim.
 *
 * @param check name of the check that made the claim
 * @param claim the claim in words, with the parameters it was tested at
 * @param estimate the measured value (or test statistic)
 * @param stdErr its standard error (> 0)
 * @param expected the value the claim predicts
 * @param z the z-score
 * @param pValue two-sided p-value of the claim
 * @param expectedVerdict what theory says the verdict must be: CONFIRMED for true claims, REFUTED for
 *                        the notes' wrong claims
 */
public record ClaimResult(String check, String claim, double estimate, double stdErr, double expected, double z,
                          double pValue, Verdict expectedVerdict) {
    /** Largest |z| reported; p-values below about 1e-300 all map to it. */
    public static final double MAX_Z = 37.5;

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    /**
     * Checks the claim's numbers.
     *
     * @param check name of the check
     * @param claim the claim in words
     * @param estimate the measured value, finite
     * @param stdErr its standard error, finite and &gt; 0
     * @param expected the predicted value, finite
     * @param z the z-score, not NaN
     * @param pValue two-sided p-value, in [0, 1]
     * @param expectedVerdict the verdict theory predicts
     * @throws NullPointerException when check, claim or expectedVerdict is null
     * @throws IllegalArgumentException when a number is outside the range above
     */
    public ClaimResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(expectedVerdict, "expectedVerdict");
        if (!Double.isFinite(estimate)) {
            throw new IllegalArgumentException("estimate of claim '" + claim + "' is not finite: " + estimate);
        }
        if (!(stdErr > 0) || Double.isInfinite(stdErr)) {
            throw new IllegalArgumentException("stdErr of claim '" + claim + "' must be finite and > 0, got " + stdErr);
        }
        if (!Double.isFinite(expected)) {
            throw new IllegalArgumentException("expected value of claim '" + claim + "' is not finite: " + expected);
        }
        if (Double.isNaN(z) || !(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException("claim '" + claim + "' has z = " + z + ", p = " + pValue);
        }
    }

    /**
     * A value claim: z = (estimate − expected)/stdErr, clamped to ±{@link #MAX_Z}, with the two-sided
     * normal p-value 2(1 − Φ(|z|)).
     *
     * @param check name of the check
     * @param claim the claim in words, with its parameters
     * @param e the measurement (its stdErr must be &gt; 0)
     * @param expected the value the claim predicts
     * @param expectedVerdict what theory says the verdict must be
     * @return the claim
     * @throws IllegalArgumentException when the estimate or expected value is not finite or the stdErr is 0
     */
    public static ClaimResult value(String check, String claim, Estimate e, double expected, Verdict expectedVerdict) {
        double z = (e.value() - expected) / e.stdErr();
        z = Math.max(-MAX_Z, Math.min(MAX_Z, z));
        double p = 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z));
        return new ClaimResult(check, claim, e.value(), e.stdErr(), expected, z, p, expectedVerdict);
    }

    /**
     * A paired identity LHS = RHS measured per particle: the estimate is mean(LHS), expected is mean(RHS),
     * the standard error is that of the mean paired difference (docs/theory.md §4), and
     * z = mean(LHS − RHS)/stdErr, clamped to ±{@link #MAX_Z}.
     *
     * @param check name of the check
     * @param claim the claim in words, with its parameters
     * @param d the paired measurement (the difference's stdErr must be &gt; 0)
     * @param expectedVerdict what theory says the verdict must be
     * @return the claim
     * @throws IllegalArgumentException when a mean is not finite or the difference's stdErr is 0
     */
    public static ClaimResult identity(String check, String claim, PairedEstimate d, Verdict expectedVerdict) {
        double z = d.difference().value() / d.difference().stdErr();
        z = Math.max(-MAX_Z, Math.min(MAX_Z, z));
        double p = 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z));
        return new ClaimResult(check, claim, d.lhs(), d.difference().stdErr(), d.rhs(), z, p, expectedVerdict);
    }

    /**
     * A distribution test: statistic and its null mean and standard deviation, with the test's p-value;
     * z = Φ⁻¹(1 − p/2) ≥ 0, at most {@link #MAX_Z}.
     *
     * @param check name of the check
     * @param claim the claim in words, with its parameters
     * @param t the test's result
     * @param expectedVerdict what theory says the verdict must be
     * @return the claim
     * @throws IllegalArgumentException when the statistic or null mean is not finite, the null standard
     *     deviation is not finite and &gt; 0, or the p-value is not in [0, 1]
     */
    public static ClaimResult test(String check, String claim, DistributionTest t, Verdict expectedVerdict) {
        double z = Math.min(MAX_Z, STANDARD_NORMAL.inverseSurvivalProbability(t.pValue() / 2));
        return new ClaimResult(check, claim, t.statistic(), t.nullStdDev(), t.nullMean(), z, t.pValue(),
                expectedVerdict);
    }
}
