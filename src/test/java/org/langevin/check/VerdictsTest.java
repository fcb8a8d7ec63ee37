package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    @Test
    void bonferroniThresholds() {
        // Φ⁻¹(1 − 0.005) = 2.5758293035489 (standard normal tables)
        assertEquals(2.5758293035489, Verdicts.threshold(1, 0.01), 1e-9);
        // K = 50: Φ⁻¹(1 − 0.0001) = 3.7190164854557
        assertEquals(3.7190164854557, Verdicts.threshold(50, 0.01), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Verdicts.threshold(0, 0.01));
        assertThrows(IllegalArgumentException.class, () -> Verdicts.threshold(3, Double.NaN));
    }

    @Test
    void judgesWithTheThresholdOfTheWholeRun() {
        ClaimResult near = ClaimResult.value("c", "true claim", new Estimate(1.0 + 2.7e-3, 1e-3), 1.0,
                Verdict.CONFIRMED);
        ClaimResult wrong = ClaimResult.value("c", "wrong claim", new Estimate(0.5, 1e-3), 0.1, Verdict.REFUTED);
        // alone, z = 2.7 exceeds 2.576; with two claims the threshold is 2.807 and it is confirmed
        assertEquals(Verdict.REFUTED, Verdicts.judge(List.of(near), 0.01).get(0).verdict());
        List<JudgedClaim> both = Verdicts.judge(List.of(near, wrong), 0.01);
        assertEquals(Verdict.CONFIRMED, both.get(0).verdict());
        assertEquals(Verdict.REFUTED, both.get(1).verdict());
        assertTrue(both.get(1).asExpected());
    }

    @Test
    void distributionTestZIsTheTwoSidedEquivalentOfItsPValue() {
        ClaimResult c = ClaimResult.test("c", "law", new DistributionTest(0.01, 0.05, 0.0087, 0.0026), Verdict.CONFIRMED);
        assertEquals(1.959963984540054, c.z(), 1e-9);
        ClaimResult zero = ClaimResult.test("c", "law", new DistributionTest(1, 0.0, 0.1, 0.1), Verdict.REFUTED);
        assertEquals(ClaimResult.MAX_Z, zero.z());
        assertFalse(Double.isInfinite(zero.z()));
    }

    @Test
    void claimsRejectUnusableValues() {
        assertThrows(IllegalArgumentException.class,
                () -> ClaimResult.value("c", "x", new Estimate(Double.NaN, 1), 0, Verdict.CONFIRMED));
        assertThrows(IllegalArgumentException.class,
                () -> ClaimResult.value("c", "x", new Estimate(1, 0), 0, Verdict.CONFIRMED));
    }
}
