package org.langevin.check;

/**
 * A claim with the verdict of its run.
 *
 * @param result the measurement
 * @param verdict confirmed or refuted, with the run's threshold
 * @param threshold the |z| threshold used
 */
public record JudgedClaim(ClaimResult result, Verdict verdict, double threshold) {
    /** @return true when the verdict is the one theory predicts */
    public boolean asExpected() {
        return verdict == result.expectedVerdict();
    }
}
