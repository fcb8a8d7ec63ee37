package org.langevin.theory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/theory.md O7 and O8. */
class BrownianAndGradientFlowTest {

    @Test
    void brownianMomentsByQuadratureOfTheGaussian() {
        double sigma = 1.3;
        double t = 2.5;
        double v = Brownian.variance(sigma, t);
        assertEquals(sigma * sigma * t, v, 1e-15);
        double sd = Math.sqrt(v);
        // E z^4 of N(0, v) by quadrature over +-15 sd (tail mass ~1e-50)
        double m4 = GaussLegendre.integrate(z -> Math.pow(z, 4) * Math.exp(-z * z / (2 * v)) / Math.sqrt(2 * Math.PI
                * v), -15 * sd, 15 * sd, 64, 1e-16);
        assertEquals(m4, Brownian.fourthMoment(sigma, t), 1e-12 * m4);
    }

    @Test
    void sgdApproachesGradientFlowAtRatesEtaAndRootEta() {
        QuadraticSgd1D p = new QuadraticSgd1D(2.0, 0.5, 0.8);
        double phi0 = 3.0;
        double t = 1.0;
        double h = p.curvature();
        // mean error / eta -> -(phi0 - a)(h^2 t / 2) e^{-h t}; next term is O(eta) relative
        double limit = -(phi0 - p.meanTarget()) * h * h * t / 2 * Math.exp(-h * t);
        for (double eta : new double[] {1e-3, 1e-4}) {
            long steps = Math.round(t / eta);
            double ratio = GradientFlowLimit.sgdMeanError(p, phi0, eta, steps) / eta;
            assertEquals(limit, ratio, 10 * eta * Math.abs(limit), "eta = " + eta);
            // rms error / sqrt(eta) -> sqrt(h s^2 (1 - e^{-2ht}) / 2) for kappa = 1
            double rmsLimit = Math.sqrt(h * p.targetVariance() * (1 - Math.exp(-2 * h * t)) / 2);
            assertEquals(rmsLimit, GradientFlowLimit.sgdRmsError(p, phi0, eta, 1, steps) / Math.sqrt(eta),
                    10 * eta * rmsLimit + 10 * eta / Math.sqrt(eta) * Math.abs(limit), "rms, eta = " + eta);
        }
        assertEquals(p.meanTarget() + (phi0 - p.meanTarget()) * Math.exp(-2.0), GradientFlowLimit.quadraticFlow(phi0,
                p.meanTarget(), h, t), 1e-15);
    }
}
