package org.langevin.theory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The computed Gauss–Legendre rule is exact to degree 2·16 − 1 and the adaptive integrator converges. */
class GaussLegendreTest {

    @Test
    void ruleIsExactForPolynomialsUpToDegree31() {
        double sum = 0;
        for (double w : GaussLegendre.weights()) {
            sum += w;
        }
        assertEquals(2.0, sum, 1e-14);
        for (int k = 0; k <= 31; k++) {
            final int deg = k;
            double exact = (Math.pow(2, k + 1) - 1) / (k + 1); // ∫_1^2 x^k dx
            assertEquals(exact, GaussLegendre.rule(x -> Math.pow(x, deg), 1, 2), 1e-14 * exact, "degree " + k);
        }
    }

    @Test
    void adaptiveIntegralOfPeakedFunction() {
        // ∫_{-5}^{5} exp(-x^2/(2 s^2)) dx with s = 0.01: s sqrt(2 pi) to tail error e^{-125000}
        double s = 0.01;
        double exact = s * Math.sqrt(2 * Math.PI);
        assertEquals(exact, GaussLegendre.integrate(x -> Math.exp(-x * x / (2 * s * s)), -5, 5, 7, 1e-16),
                1e-13 * exact);
    }
}
