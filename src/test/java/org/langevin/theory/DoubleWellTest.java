package org.langevin.theory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/theory.md O6. Reference values: docs/theory.md (Z(1), Z(5), E x²; 11 significant digits, so 1e−9 relative leaves
 * room for their rounding) and mpmath 30-digit quadrature for the others.
 */
class DoubleWellTest {

    @Test
    void normaliserMatchesTheoryNumbersBothWays() {
        assertEquals(1.9737321501, new DoubleWell(1).normaliser(), 1e-9 * 1.97);
        assertEquals(0.8340588041, new DoubleWell(5).normaliser(), 1e-9 * 0.83);
        assertEquals(1.9737321501, DoubleWell.normaliserBessel(1), 1e-9 * 1.97);
        assertEquals(0.8340588041, DoubleWell.normaliserBessel(5), 1e-9 * 0.83);
    }

    @Test
    void quadratureAgreesWithBesselClosedForm() {
        // both are accurate to ~1e-14; mpmath: Z(0.1) = 3.72483145764110391, Z(100) = 0.177581432454258324
        for (double beta : new double[] {0.1, 1, 5, 20, 100, 1000}) {
            double q = new DoubleWell(beta).normaliser();
            assertEquals(DoubleWell.normaliserBessel(beta), q, 1e-12 * q, "beta = " + beta);
        }
        assertEquals(3.72483145764110391, DoubleWell.normaliserBessel(0.1), 1e-13 * 3.7);
        assertEquals(0.177581432454258324, DoubleWell.normaliserBessel(100), 1e-13 * 0.18);
    }

    @Test
    void momentsMatchTheoryAndNormaliserFreeIdentities() {
        assertEquals(0.8327454871, new DoubleWell(1).meanSquare(), 1e-9 * 0.83);
        assertEquals(0.9368339404, new DoubleWell(5).meanSquare(), 1e-9 * 0.94);
        for (double beta : new double[] {0.5, 2, 5, 30}) {
            DoubleWell w = new DoubleWell(beta);
            // E L + E x^2 = 1 + 1/(4 beta)  <=>  E x^4 - E x^2 = 1/(4 beta)
            assertEquals(1 / (4 * beta), w.meanFourth() - w.meanSquare(), 1e-13, "beta = " + beta);
            // E[(x - c) L'(x)] = 1/beta for any c
            double c = 0.37;
            assertEquals(1 / beta, w.expectation(x -> (x - c) * DoubleWell.lossDerivative(x)), 1e-13);
        }
    }

    @Test
    void cdfIsSymmetricAndInvertedByQuantile() {
        DoubleWell w = new DoubleWell(5);
        assertEquals(0.5, w.cdf(0), 1e-14);
        for (double x : new double[] {0.1, 0.7, 1.0, 1.4}) {
            assertEquals(1.0, w.cdf(x) + w.cdf(-x), 1e-14, "symmetry at " + x);
        }
        for (double p : new double[] {1e-6, 0.05, 0.3, 0.5, 0.9, 0.999}) {
            assertEquals(p, w.cdf(w.quantile(p)), 1e-13, "cdf(quantile(" + p + "))");
        }
        // the derivative of the cdf is the density (central difference, error ~h^2 p'' ~ 1e-8)
        double h = 1e-5;
        for (double x : new double[] {-1.2, 0.3, 0.95}) {
            assertEquals(w.density(x), (w.cdf(x + h) - w.cdf(x - h)) / (2 * h), 1e-7, "density at " + x);
        }
    }

    @Test
    void thousandEquiprobableEdgesAreFastAndEquiprobable() {
        DoubleWell w = new DoubleWell(1);
        long start = System.nanoTime();
        double[] edges = w.equiprobableEdges(1000);
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertTrue(seconds < 1.0, "1000 edges took " + seconds + " s");
        assertEquals(999, edges.length);
        for (int k = 0; k < edges.length; k++) {
            assertEquals((k + 1) / 1000.0, w.cdf(edges[k]), 1e-12, "edge " + k);
            if (k > 0) {
                assertTrue(edges[k] > edges[k - 1]);
            }
        }
    }
}
