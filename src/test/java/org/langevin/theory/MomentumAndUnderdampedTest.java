package org.langevin.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * O9 and O12 (docs/theory.md): each closed form against the exact 2×2 Lyapunov solve of its chain
 * (relative 1e-10, rounding only), O9's μ = 0 reduction to O1, and the stability ranges.
 */
class MomentumAndUnderdampedTest {
    @Test
    void heavyBallVarianceIsTheLyapunovSolveAndReducesToO1() {
        for (double mu : new double[] {0, 0.3, 0.9}) {
            for (double eta : new double[] {0.05, 0.5, 1.5}) {
                MomentumSgd1D m = new MomentumSgd1D(1.3, 0.2, 0.7, mu);
                if (eta * 1.3 >= 2 * (1 + mu)) {
                    continue;
                }
                double closed = m.stationaryVariance(eta, 0.5);
                assertEquals(m.stationaryVarianceByLyapunov(eta, 0.5), closed, 1e-10 * closed, "mu " + mu + ", eta " + eta);
            }
        }
        QuadraticSgd1D o1 = new QuadraticSgd1D(1.3, 0.2, 0.7);
        assertEquals(o1.stationaryVariance(0.8, 1), new MomentumSgd1D(1.3, 0.2, 0.7, 0).stationaryVariance(0.8, 1), 1e-15);
        // O10 with the closed form: E v² = 2h Var/(η(1+μ)); at μ = 0, v = ĝ and E ĝ² = h²(Var + s²κ).
        MomentumSgd1D m0 = new MomentumSgd1D(1.3, 0.2, 0.7, 0);
        double var = m0.stationaryVariance(0.8, 1);
        assertEquals(1.3 * 1.3 * (var + 0.7), m0.stationaryMomentumSecondMoment(0.8, 1), 1e-12);
    }

    @Test
    void heavyBallIsStableUpToTwoTimesOnePlusMu() {
        MomentumSgd1D m = new MomentumSgd1D(1, 0, 1, 0.5);
        m.requireStable(2.99);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.requireStable(3.0));
        assertTrue(e.getMessage().contains("2(1 + mu)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.stationaryVarianceByLyapunov(3.01, 1),
                "the Lyapunov solve agrees that the chain has no stationary state");
    }

    @Test
    void baoabHasTheExactConfigurationalVarianceButNotTheMomentumVariance() {
        UnderdampedHarmonic u = new UnderdampedHarmonic(1.7, 0.8, 0.45);
        for (double h : new double[] {0.1, 0.6, 1.1}) {
            double[] c = u.baoabCovariance(h);
            assertEquals(u.configurationalVariance(), c[0], 1e-10 * c[0], "Var q at h = " + h);
            assertEquals(u.baoabMomentumVariance(h), c[2], 1e-10 * c[2], "Var p at h = " + h);
            assertEquals(0, c[1], 1e-10, "q and p uncorrelated");
        }
        // Euler–Maruyama at the same step misses T/ω² (by 58 % at h = 0.1 here).
        double em = u.eulerMaruyamaCovariance(0.1)[0];
        assertTrue(Math.abs(em / u.configurationalVariance() - 1) > 0.05, "EM's Var q " + em);
        assertThrows(IllegalArgumentException.class, () -> u.baoabCovariance(2 / 1.7));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> u.eulerMaruyamaCovariance(1.0)).getMessage()
                .contains("no stationary state"));
    }
}
