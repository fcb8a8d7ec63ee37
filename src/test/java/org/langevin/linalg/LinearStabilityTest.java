package org.langevin.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.langevin.model.Dynamics;
import org.langevin.model.Integrator;
import org.langevin.model.Optimizer;

/**
 * The numerical spectral radii of {@link LinearStability} against the closed-form stable ranges derived
 * in docs/theory.md: heavy ball ηλ &lt; 2(1 + μ), Nesterov ηλ(1 + 2μ) &lt; 2(1 + μ), BAOAB h²λ &lt; 4 at any
 * friction, Euler–Maruyama for underdamped Langevin h &lt; γ/λ (in its oscillating regime), the Euler map hλ &lt; 2.
 * Deterministic: each bound is located by bisection to 10⁻⁹ relative and checked on both sides.
 */
class LinearStabilityTest {

    private static double[][] diag(double... v) {
        double[][] a = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            a[i][i] = v[i];
        }
        return a;
    }

    private static double limit(Dynamics dyn, Integrator in, Optimizer o, double gamma, double... ev) {
        return LinearStability.largestStable(LinearStability.radiusAt(dyn, in, o, gamma, ev), 100);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.5, 0.9, 0.99})
    void heavyBallAndNesterovHaveTheirClosedFormRanges(double mu) {
        double lambda = 2.5;
        assertEquals(2 * (1 + mu) / lambda, limit(Dynamics.SGD, null, new Optimizer(Optimizer.Kind.MOMENTUM, mu, 0, 0), 0,
                0.3, lambda), 1e-9);
        assertEquals(2 * (1 + mu) / ((1 + 2 * mu) * lambda), limit(Dynamics.SGD, null,
                new Optimizer(Optimizer.Kind.NESTEROV, mu, 0, 0), 0, 0.3, lambda), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 1.0, 10.0})
    void baoabIsStableBelowTwoOverRootLambdaAtAnyFriction(double gamma) {
        double lambda = 8;
        assertEquals(2 / Math.sqrt(lambda), limit(Dynamics.UNDERDAMPED, Integrator.BAOAB, Optimizer.SGD, gamma, lambda), 1e-9);
    }

    @Test
    void eulerForUnderdampedNeedsAStepBelowFrictionOverLambda() {
        // Oscillating regime (γ² < 4λ): the pair's modulus √(1 − γh + h²λ) < 1 iff h < γ/λ.
        assertEquals(1.0 / 8, limit(Dynamics.UNDERDAMPED, Integrator.EULER_MARUYAMA, Optimizer.SGD, 1.0, 8), 1e-9);
        assertEquals(2.0 / 8, limit(Dynamics.LANGEVIN, Integrator.LEIMKUHLER_MATTHEWS, Optimizer.SGD, 0, 1, 8), 1e-9);
    }

    @Test
    void theCheckRefusesBeyondTheRangeNamingTheBoundAndAcceptsBelowIt() {
        Optimizer hb = new Optimizer(Optimizer.Kind.MOMENTUM, 0.9, 0, 0);
        LinearStability.check(Dynamics.SGD, null, hb, 0.99 * 3.8 / 2, 0, diag(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearStability.check(Dynamics.SGD, null, hb, 1.01 * 3.8 / 2, 0, diag(1, 2)));
        assertTrue(e.getMessage().startsWith("--lr ") && e.getMessage().contains(" is beyond the stable range of --optimizer momentum:0.9"), e.getMessage());
        assertTrue(e.getMessage().contains("use --lr below 1.90000"), e.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> LinearStability.check(
                Dynamics.UNDERDAMPED, Integrator.BAOAB, Optimizer.SGD, 0.75, 1, diag(8)));
        assertTrue(b.getMessage().contains("use --dt below 0.707107"), b.getMessage());
    }

    @Test
    void adaptiveRulesAndFlatDirectionsAreNotChecked() {
        LinearStability.check(Dynamics.SGD, null, Optimizer.parse("adam"), 1e6, 0, diag(1));
        LinearStability.check(Dynamics.SGD, null, Optimizer.parse("rmsprop"), 1e6, 0, diag(1));
        // A zero eigenvalue: heavy ball's radius there is exactly 1 (Φ diffuses), not a divergence.
        LinearStability.check(Dynamics.SGD, null, new Optimizer(Optimizer.Kind.MOMENTUM, 0.5, 0, 0), 1.0, 0, diag(0, 1));
    }
}
