package org.langevin.theory;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A quadratic loss gives a Gaussian Gibbs law: normaliser, CDF and quantiles against Commons Statistics'
 * normal distribution (its CDF is accurate to ~1e−15 absolute). The truncation at ±12 standard deviations
 * removes mass 2e−33, far below the tolerances.
 */
class GibbsDensityTest {

    private static final double BETA = 4.0;
    private static final double SD = 1 / Math.sqrt(BETA); // exp(-beta x^2/2) is N(0, 1/beta)

    private final GibbsDensity gauss = new GibbsDensity(x -> 0.5 * x * x + 3.0, BETA, -12 * SD, 12 * SD);
    private final NormalDistribution normal = NormalDistribution.of(0, SD);

    @Test
    void normaliserAndMomentsOfGaussian() {
        double z = Math.sqrt(2 * Math.PI / BETA) * Math.exp(-BETA * 3.0);
        assertEquals(z, gauss.normaliser(), 1e-13 * z);
        assertEquals(1.0, gauss.moment(0), 1e-14);
        assertEquals(0.0, gauss.moment(1), 1e-15);
        assertEquals(SD * SD, gauss.moment(2), 1e-14);
        assertEquals(3 * Math.pow(SD, 4), gauss.moment(4), 1e-14);
    }

    @Test
    void cdfAndQuantileMatchNormal() {
        for (double x = -5 * SD; x <= 5 * SD; x += 0.37 * SD) {
            assertEquals(normal.cumulativeProbability(x), gauss.cdf(x), 1e-13, "cdf at " + x);
            assertEquals(normal.density(x), gauss.density(x), 1e-13, "density at " + x);
        }
        // in the tails x is ill-conditioned in p (dx = dp / density), so compare in probability there
        for (double p : new double[] {1e-9, 0.001, 0.1, 0.5, 0.77, 0.999999}) {
            assertEquals(p, normal.cumulativeProbability(gauss.quantile(p)), 1e-13, "cdf(quantile(" + p + "))");
        }
        for (double p : new double[] {0.01, 0.1, 0.5, 0.77, 0.99}) {
            assertEquals(normal.inverseCumulativeProbability(p), gauss.quantile(p), 1e-11, "quantile " + p);
        }
        assertEquals(0.0, gauss.cdf(-100), 0.0);
        assertEquals(1.0, gauss.cdf(100), 0.0);
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GibbsDensity(x -> x * x, -1, 0, 1))
                .getMessage().contains("beta"));
        assertThrows(IllegalArgumentException.class, () -> new GibbsDensity(x -> x * x, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> gauss.quantile(1.5));
    }
}
