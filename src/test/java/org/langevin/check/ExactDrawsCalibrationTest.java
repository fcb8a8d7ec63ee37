package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/**
 * The harness on exact draws from every oracle (no simulation): each check's statistic code is fed
 * samples drawn from the law its claims state, many times with different seeds. The p-values of the
 * true claims must then be uniform, and the notes' wrong claims must still be refuted.
 *
 * <p>False-alarm rate: the p-values are pooled over 16 seeds × about 55 true claims; a Kolmogorov–Smirnov
 * test against Uniform(0, 1) at level 1e-3, and a count of p < 0.01 at most 2.5× its expectation plus
 * 4 (about 1e-4 for a binomial count). Claims of one seed share draws (e.g. the two centres of an
 * identity), which widens the pooled spread a little, so the overall false-alarm rate is a few in 1e3.
 * The seeds are fixed, so the test is deterministic.
 */
class ExactDrawsCalibrationTest {
    private static final int SEEDS = 16;

    @Test
    void pValuesOfTrueClaimsAreUniformAndWrongClaimsAreRefuted() {
        List<Double> pValues = new ArrayList<>();
        List<Double> curvePValues = new ArrayList<>();
        for (int s = 0; s < SEEDS; s++) {
            List<ClaimResult> all = new ArrayList<>();
            for (Check c : Checks.all()) {
                all.addAll(c.runOnExactDraws(CheckSize.TINY, Seeds.derive(1000 + s, c.name())));
            }
            double threshold = Verdicts.threshold(all.size(), Verdicts.DEFAULT_ALPHA);
            for (ClaimResult r : all) {
                if (r.expectedVerdict() == Verdict.CONFIRMED && CurveClaims.isCurve(r)) {
                    curvePValues.add(r.pValue());
                } else if (r.expectedVerdict() == Verdict.CONFIRMED) {
                    pValues.add(r.pValue());
                } else {
                    assertTrue(Math.abs(r.z()) > threshold, "wrong claim not refuted on exact draws: " + r);
                }
            }
        }
        double[] p = pValues.stream().mapToDouble(Double::doubleValue).toArray();
        double ks = KolmogorovSmirnovTest.withDefaults().test(p, x -> Math.max(0, Math.min(1, x))).getPValue();
        assertTrue(ks > 1e-3, "p-values of true claims on exact draws are not uniform: KS p = " + ks + " over "
                + p.length + " claims");
        long small = pValues.stream().filter(v -> v < 0.01).count();
        assertTrue(small <= 2.5 * 0.01 * p.length + 4, small + " of " + p.length + " true claims have p < 0.01");
        // Curve claims combine a record series by Bonferroni: P(p <= u) <= u, so they are held to the same
        // bound on small p-values (the binomial tail of 2.5·expected + 4 has a false-alarm rate below 1e-3).
        assertTrue(curvePValues.size() >= SEEDS, "too few curve claims: " + curvePValues.size());
        long smallCurve = curvePValues.stream().filter(v -> v < 0.05).count();
        assertTrue(smallCurve <= 2.5 * 0.05 * curvePValues.size() + 4, smallCurve + " of " + curvePValues.size()
                + " curve claims have p < 0.05");
    }

    @Test
    void everyCheckHasAnExactDrawMode() {
        for (Check c : Checks.all()) {
            List<ClaimResult> r = c.runOnExactDraws(CheckSize.TINY, 7);
            assertTrue(!r.isEmpty(), c.name() + " evaluates no claim on exact draws");
            for (ClaimResult claim : r) {
                assertEquals(c.name(), claim.check());
            }
        }
    }
}
