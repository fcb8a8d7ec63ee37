package org.langevin.theory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Special functions against closed forms. Reference Γ(1/4) = 3.6256099082219083119 and Γ(3/4) =
 * 1.2254167024651776451 are from mpmath 30-digit evaluation.
 */
class SpecialFunctionsTest {

    @Test
    void gammaMatchesKnownValues() {
        assertEquals(Math.sqrt(Math.PI), SpecialFunctions.gamma(0.5), 1e-15 * Math.sqrt(Math.PI));
        assertEquals(3.6256099082219083119, SpecialFunctions.gamma(0.25), 1e-14 * 3.63);
        assertEquals(1.2254167024651776451, SpecialFunctions.gamma(0.75), 1e-14 * 1.23);
        double factorial = 1;
        for (int n = 1; n <= 25; n++) {
            assertEquals(Math.log(factorial), SpecialFunctions.logGamma(n), 1e-13 * Math.max(1, Math.log(factorial)),
                    "ln Gamma(" + n + ")");
            factorial *= n;
        }
    }

    /** Accuracy of the series against the closed forms, relative error below 1e-15 max(100, x). */
    @Test
    void halfIntegerBesselHasElementaryForm() {
        // I_{1/2}(x) = sqrt(2/(pi x)) sinh x, I_{-1/2}(x) = sqrt(2/(pi x)) cosh x; scaled by e^{-x}:
        for (double x : new double[] {0.01, 0.3, 5, 50, 2000}) {
            double c = Math.sqrt(2 / (Math.PI * x));
            double tol = 1e-15 * Math.max(100, x); // documented accuracy 1e-15 max(50, x), with a factor 2
            double sinhScaled = -0.5 * Math.expm1(-2 * x);
            double coshScaled = 0.5 * (1 + Math.exp(-2 * x));
            assertEquals(c * sinhScaled, SpecialFunctions.besselIScaled(0.5, x), tol * c * sinhScaled, "I_1/2 " + x);
            assertEquals(c * coshScaled, SpecialFunctions.besselIScaled(-0.5, x), tol * c * coshScaled,
                    "I_-1/2 " + x);
        }
    }

    @Test
    void invalidArgumentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logGamma(0));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.besselIScaled(-1.5, 1));
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.besselIScaled(0.25, Double.NaN));
    }
}
