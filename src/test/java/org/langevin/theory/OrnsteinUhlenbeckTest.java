package org.langevin.theory;

import org.junit.jupiter.api.Test;
import org.langevin.linalg.Lyapunov;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/theory.md O4: exact transition against the semigroup property, EM variance against explicit iteration. */
class OrnsteinUhlenbeckTest {

    private final OrnsteinUhlenbeck ou = new OrnsteinUhlenbeck(1.7, 0.4, 0.9);

    @Test
    void transitionComposesOverTwoHalfSteps() {
        double dt = 0.3;
        double x = 2.0;
        double half = dt / 2;
        double mid = ou.transitionMean(x, half);
        assertEquals(ou.transitionMean(x, dt), ou.transitionMean(mid, half), 1e-15);
        double decay = Math.exp(-ou.theta() * half);
        assertEquals(ou.transitionVariance(dt), decay * decay * ou.transitionVariance(half)
                + ou.transitionVariance(half), 1e-15);
        assertEquals(ou.stationaryVariance(), ou.transitionVariance(100), 1e-15);
    }

    @Test
    void eulerMaruyamaVarianceEqualsIteratedRecursionAndLyapunov() {
        for (double dt : new double[] {0.01, 0.5, 1.1}) {
            double v = 0;
            double p = 1 - ou.theta() * dt;
            for (int k = 0; k < 20000; k++) { // |p| <= 0.983: p^40000 ~ 1e-300
                v = p * p * v + ou.s() * ou.s() * dt;
            }
            double exact = ou.eulerMaruyamaStationaryVariance(dt);
            assertEquals(v, exact, 1e-13 * exact, "dt = " + dt);
            double lyap = Lyapunov.eulerMaruyamaStationary(new double[][] {{ou.theta()}},
                    new double[][] {{ou.s() * ou.s()}}, dt)[0][0];
            assertEquals(exact, lyap, 1e-14 * exact);
        }
    }

    @Test
    void unstableStepThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ou.eulerMaruyamaStationaryVariance(2.0));
        assertTrue(e.getMessage().contains("dt = 2.0"), e.getMessage());
    }
}
