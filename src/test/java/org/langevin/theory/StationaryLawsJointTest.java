package org.langevin.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

class StationaryLawsJointTest {

    /** Midpoint rule over [−r, r]²; the integrands are smooth and negligible beyond r. */
    private static double integrate(DoubleBinaryOperator f, double r, int n) {
        double h = 2 * r / n;
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s += f.applyAsDouble(-r + (i + 0.5) * h, -r + (j + 0.5) * h);
            }
        }
        return s * h * h;
    }

    @Test
    void quadraticJointIsTheEulerGaussianWithItsCovariance() {
        double[][] a = {{2, 0.8}, {0.8, 1}};
        double[] m = {0.5, -0.25};
        RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(2)
                .quadratic(a, m).sigma(1).dt(0.01).particles(10).steps(10).build();
        StationaryLaws laws = StationaryLaws.of(spec);
        DoubleBinaryOperator p = laws.joint12(spec);
        assertNotNull(p);
        double[][] c = (double[][]) laws.values().get("covariance");
        double det = c[0][0] * c[1][1] - c[0][1] * c[0][1];
        assertEquals(1 / (2 * Math.PI * Math.sqrt(det)), p.applyAsDouble(m[0], m[1]), 1e-12);
        // total mass 1 and the covariance entry E[(x1−m1)(x2−m2)] = C12 (midpoint rule, error < 1e-6 here)
        assertEquals(1.0, integrate(p, 8, 400), 1e-6);
        double c12 = integrate((x, y) -> (x - m[0]) * (y - m[1]) * p.applyAsDouble(x, y), 8, 400);
        assertEquals(c[0][1], c12, 1e-6);
    }

    @Test
    void doubleWellJointIsTheProductOfTheMarginals() {
        RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(3)
                .sigma(1).dt(0.01).particles(10).steps(10).build();
        StationaryLaws laws = StationaryLaws.of(spec);
        DoubleBinaryOperator p = laws.joint12(spec);
        assertEquals(laws.densities()[0].applyAsDouble(0.9) * laws.densities()[1].applyAsDouble(-1.1),
                p.applyAsDouble(0.9, -1.1), 1e-15);
        assertEquals(1.0, integrate(p, 3, 600), 1e-6);
    }

    @Test
    void oneDimensionalRunsHaveNoJoint() {
        RunSpec spec = new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1)
                .sigma(1).dt(0.01).particles(10).steps(10).build();
        assertNull(StationaryLaws.of(spec).joint12(spec));
    }
}
