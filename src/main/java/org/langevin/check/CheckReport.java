package org.langevin.check;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a run of checks: every judged claim, the threshold, and the wall time of each check.
 *
 * @param claims the judged claims, in run order
 * @param alpha the family-wise false-alarm rate
 * @param threshold the |z| threshold Φ⁻¹(1 − α/(2K))
 * @param wallSeconds wall time of each check, by name, in run order
 */
public record CheckReport(List<JudgedClaim> claims, double alpha, double threshold, Map<String, Double> wallSeconds) {
    /**
     * Copies the claims and the wall times (keeping their order), so that the report is immutable.
     *
     * @param claims the judged claims, in run order
     * @param alpha the family-wise false-alarm rate
     * @param threshold the |z| threshold
     * @param wallSeconds wall time of each check, by name
     */
    public CheckReport {
        claims = List.copyOf(claims);
        wallSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(wallSeconds));
    }

    /** @return true when every claim got the verdict theory predicts */
    public boolean allAsExpected() {
        return claims.stream().allMatch(JudgedClaim::asExpected);
    }

    /** @return the number of claims whose verdict is not the one theory predicts */
    public long unexpected() {
        return claims.stream().filter(c -> !c.asExpected()).count();
    }
}
